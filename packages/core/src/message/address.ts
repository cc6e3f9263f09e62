import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

// Why libphonenumber-js with the "min" metadata (≈80 kB) rather than "max" (≈145 kB): we accept a
// number when its country calling code exists and its length is possible for that country
// (`isPossible`), which "min" decides exactly. "max" adds the per-range patterns behind
// `isValid()`/`getType()`; we deliberately do not require them, because they refuse the fictional
// ranges the regulators reserve for docs and tests (Ofcom's 07700 900xxx) and any range issued
// after the metadata was published, and refusing a real person's number loses their message.
// What matters for identity is that one number has one spelling, and that is the same either way.

/** A region (ISO 3166-1 alpha-2, e.g. `GB`, `US`) national phone numbers are read in. */
export type PhoneRegion = CountryCode;

/**
 * E.164: a `+`, a country code that does not start with 0, at most 15 digits in all. Stored
 * addresses have this shape; {@link toE164} additionally checks the country code and length.
 * Source: ITU-T E.164 §6.2, https://www.itu.int/rec/T-REC-E.164
 */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/** A URI-style prefix providers put before a number (Twilio's `whatsapp:`, `tel:`, `sms:`). */
const SCHEME_PREFIX = /^[a-z]+:/i;

/** Options of {@link toE164}. */
export interface PhoneOptions {
  /**
   * Where a number without `+` was dialled from: `202-555-0143` with `US` is `+12025550143`.
   * Without it, a number must be international (start with `+`).
   */
  defaultRegion?: PhoneRegion | undefined;
  /**
   * The provider sends international numbers without the `+` (WhatsApp's `wa_id`, `16505551234`):
   * read leading digits as the country code. For adapters, never for what a person typed.
   */
  international?: boolean | undefined;
}

/**
 * Whether `value` names a region libphonenumber knows, e.g. `GB` or `US`.
 *
 * @example
 * ```ts
 * isPhoneRegion('GB'); // true
 * isPhoneRegion('UK'); // false (the ISO code is GB)
 * ```
 */
export function isPhoneRegion(value: string): value is PhoneRegion {
  return isSupportedCountry(value);
}

/**
 * Normalises a phone number to E.164, or returns `null` if it cannot be one: an unknown country
 * code, a length no number of that country has, letters, or a national number with no
 * `defaultRegion` to read it in. Accepts the forms providers and people write: `+1 (650) 555-1234`,
 * `whatsapp:+16505551234` (Twilio), `+44 (0)7700 900123` (the bracketed trunk 0 is dropped).
 * Bare digits are a national number, unless `international` says the provider left out the `+`.
 *
 * @example
 * ```ts
 * toE164('+44 (0)7700 900123');                      // '+447700900123'
 * toE164('202-555-0143');                            // null (national: which country?)
 * toE164('202-555-0143', { defaultRegion: 'US' });   // '+12025550143'
 * toE164('+999 1234567');                            // null (no country has code 999)
 * toE164('16505551234', { international: true });    // '+16505551234' (a WhatsApp wa_id)
 * ```
 */
export function toE164(input: string, options: PhoneOptions = {}): string | null {
  if (typeof input !== 'string') return null;
  if (input.length > E164_CACHED_INPUT) return parseE164(input, options);
  const key = `${options.defaultRegion ?? ''}|${options.international ? 1 : 0}|${input}`;
  const known = E164_CACHE.get(key);
  if (known !== undefined) return known;
  const result = parseE164(input, options);
  if (E164_CACHE.size >= E164_CACHE_SIZE) {
    // Oldest first: Map keeps insertion order, so this is a FIFO of the numbers seen last.
    E164_CACHE.delete(E164_CACHE.keys().next().value as string);
  }
  E164_CACHE.set(key, result);
  return result;
}

/**
 * How many normalised numbers are remembered. libphonenumber's parse costs tens of microseconds,
 * more than the rest of a WhatsApp webhook's parse, and the same few numbers write again and
 * again (a conversation is many messages from one number); the function is pure, so a bounded
 * memo returns the same answer. Only inputs of a phone number's written length are kept, so the
 * cache stays under about 1 MB whatever it is fed.
 */
const E164_CACHE_SIZE = 10_000;
/** The longest input remembered: a number with spaces, brackets and a `whatsapp:` prefix fits. */
const E164_CACHED_INPUT = 48;
const E164_CACHE = new Map<string, string | null>();

function parseE164(input: string, options: PhoneOptions): string | null {
  const trimmed = input.trim().replace(SCHEME_PREFIX, '');
  const withoutScheme = options.international && !trimmed.startsWith('+') ? `+${trimmed}` : trimmed;
  // Letters would be read as a keypad (1-800-FLOWERS); no provider sends those as an address.
  if (!/^[\d+\s().\-/]+$/.test(withoutScheme)) return null;
  const parsed =
    options.defaultRegion === undefined
      ? parsePhoneNumberFromString(withoutScheme)
      : parsePhoneNumberFromString(withoutScheme, { defaultCountry: options.defaultRegion });
  if (!parsed?.isPossible()) return null;
  return E164_PATTERN.test(parsed.number) ? parsed.number : null;
}

/** A deliberately loose email check: one `@`, something on each side, a dot in the domain. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Normalises an email address for identity matching (trimmed, lower-cased), or `null` if it is not
 * one. Local parts are case-sensitive in theory, but no mailbox provider treats them so, and two
 * spellings of one address must be one person.
 *
 * @example
 * ```ts
 * normalizeEmail(' Ann@Example.COM '); // 'ann@example.com'
 * ```
 */
export function normalizeEmail(input: string): string | null {
  const value = input.trim().toLowerCase();
  return EMAIL_PATTERN.test(value) ? value : null;
}
