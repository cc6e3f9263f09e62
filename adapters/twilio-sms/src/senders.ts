/**
 * Which of several configured numbers sends to a recipient. Each recipient always gets the same
 * one (Twilio calls this a sticky sender): a conversation that hops between numbers confuses the
 * user, and a STOP blocks only the number it was sent to at Twilio's side.
 */

/** FNV-1a over the address: stable across processes and instances, unlike a random pick. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/**
 * The sender for `address`.
 *
 * @example
 * ```ts
 * pickSender(['+15005550006', '+15005550007'], '+15558675310'); // always the same one of the two
 * ```
 */
export function pickSender(senders: readonly string[], address: string): string | undefined {
  if (senders.length === 0) return undefined;
  return senders[hash(address) % senders.length];
}

/** An alphanumeric sender id cannot receive replies or send MMS. */
export function isAlphanumericSender(sender: string | undefined): boolean {
  return sender !== undefined && /[A-Za-z]/.test(sender);
}
