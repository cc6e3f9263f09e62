import { RELAY_BUTTON_DATA_MAX_BYTES } from './capabilities';

const utf8 = new TextEncoder();

/**
 * A button's `callback_data`: its label, cut to the API's limit. The limit is in bytes of UTF-8,
 * not characters (40 characters of `é` are 80 bytes), and the cut keeps whole code points: half an
 * emoji is not valid UTF-8, and Relay (as Telegram) refuses the whole message for it.
 *
 * @example
 * ```ts
 * buttonData('Today 7pm'); // 'Today 7pm'
 * buttonData('é'.repeat(40)); // 32 × 'é' (64 bytes)
 * ```
 */
export function buttonData(label: string, maxBytes: number = RELAY_BUTTON_DATA_MAX_BYTES): string {
  let bytes = 0;
  let end = 0;
  // for…of walks code points, so a surrogate pair is taken or left whole.
  for (const character of label) {
    bytes += utf8.encode(character).length;
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return label.slice(0, end);
}
