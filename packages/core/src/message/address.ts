/**
 * E.164: a `+`, a country code that does not start with 0, at most 15 digits in all.
 * Source: ITU-T E.164 §6.2, https://www.itu.int/rec/T-REC-E.164
 */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/**
 * Normalises a phone number to E.164, or returns `null` if it cannot be one. Accepts the forms
 * providers send: `+1 (650) 555-1234`, `16505551234` (WhatsApp's `wa_id`), `whatsapp:+1650…`
 * (Twilio). It does not guess a country for national numbers.
 *
 * @example
 * ```ts
 * toE164('16505551234');        // '+16505551234'
 * toE164('whatsapp:+4477 0090 0123'); // '+447700900123'
 * toE164('0770 090 0123');      // null (national format: country unknown)
 * ```
 */
export function toE164(input: string): string | null {
  const withoutScheme = input.trim().replace(/^[a-z]+:/i, '');
  if (/[^\d+\s().-]/.test(withoutScheme)) return null;
  const digits = withoutScheme.replace(/[^\d+]/g, '');
  const candidate = digits.startsWith('+') ? digits : `+${digits}`;
  return E164_PATTERN.test(candidate) ? candidate : null;
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
