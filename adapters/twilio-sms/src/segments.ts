/**
 * Honest SMS segment accounting. A message is billed per segment: GSM-7 text fits 160 characters
 * in one segment and 153 per segment once concatenated (the user-data header takes 7); one
 * character outside GSM-7 (an emoji, a curly quote, most non-Latin scripts) turns the whole
 * message into UCS-2, 70 single / 67 concatenated, counted in UTF-16 code units.
 * Source: https://www.twilio.com/docs/glossary/what-sms-character-limit
 */

/** Twilio refuses a `Body` over 1,600 characters (error 21617); longer text is split. */
export const SMS_MAX_BODY = 1_600;

/**
 * At most this many messages for one text (16,000 characters): past it the send is refused
 * rather than billed as a hundred segments by accident. Our limit, not Twilio's.
 */
export const SMS_MAX_PARTS = 10;

/** Per-segment capacities. Source: https://www.twilio.com/docs/glossary/what-sms-character-limit */
export const GSM7_SINGLE = 160;
export const GSM7_PER_PART = 153;
export const UCS2_SINGLE = 70;
export const UCS2_PER_PART = 67;

/** The GSM 03.38 basic character set (each one septet). Source: 3GPP TS 23.038 §6.2.1. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: each costs two septets (an escape, then the character). 3GPP TS 23.038 §6.2.1.1. */
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

/** How a text is encoded on the air, and what it costs. */
export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Segments billed. 0 for empty text. */
  segments: number;
}

/** Whether every character is in GSM-7 (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (!GSM7_BASIC.has(char) && !GSM7_EXTENDED.has(char)) return false;
  }
  return true;
}

/** Packs unit costs into segments of `perPart`, never splitting one character's units. */
function pack(costs: readonly number[], perPart: number): number {
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/**
 * Counts the segments Twilio bills for one message body. An extension character (`€`, `[`…) is
 * two septets and never straddles two segments; a UCS-2 surrogate pair (an emoji) is two units
 * and never straddles either.
 *
 * @example
 * ```ts
 * countSegments('a'.repeat(160)); // { encoding: 'GSM-7', units: 160, segments: 1 }
 * countSegments('a'.repeat(161)); // { encoding: 'GSM-7', units: 161, segments: 2 }
 * countSegments('Hi 👋');         // { encoding: 'UCS-2', units: 5, segments: 1 }
 * ```
 */
export function countSegments(text: string): SegmentCount {
  if (text === '') return { encoding: 'GSM-7', units: 0, segments: 0 };
  const gsm = isGsm7(text);
  const costs = [...text].map((char) => (gsm ? (GSM7_EXTENDED.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, perPart] = gsm ? [GSM7_SINGLE, GSM7_PER_PART] : [UCS2_SINGLE, UCS2_PER_PART];
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    units,
    segments: units <= single ? 1 : pack(costs, perPart),
  };
}
