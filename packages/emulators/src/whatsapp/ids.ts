import { randomBytes, randomInt } from 'node:crypto';

/**
 * A WhatsApp message id. Real ones are `wamid.` + base64 of a small binary frame that embeds the
 * other party's number; copying that shape keeps adapters that log or truncate ids honest.
 *
 * @example
 * ```ts
 * wamid('447700900123'); // 'wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgS…'
 * ```
 */
export function wamid(waId: string): string {
  const number = Buffer.from(waId, 'ascii');
  const tail = Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'ascii');
  const frame = Buffer.concat([
    Buffer.from([0x1c, 0x18, number.length]),
    number,
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, tail.length]),
    tail,
    Buffer.from([0x00]),
  ]);
  return `wamid.${frame.toString('base64')}`;
}

/** A Graph object id (media ids are 15–16 digit numbers). */
export function graphObjectId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

/**
 * The `wa_id` for a phone number as written by people: digits only, no `+`, spaces or dashes.
 * Returns `undefined` when what is left is not 7–15 digits (E.164's range).
 */
export function toWaId(phoneNumber: string): string | undefined {
  const digits = phoneNumber.replace(/[\s\-().+]/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : undefined;
}

/** Unix seconds as the decimal string Meta puts in every `timestamp` field. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}
