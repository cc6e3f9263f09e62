import { normalizeEmail, type PhoneOptions, toE164 } from '../message/address';
import { legacyE164 } from '../message/legacy-phone';
import type { Identity, IdentityKind, IdentityStore } from '../store/identities';

/**
 * Puts an address in the form identities are stored under, so `+16505551234` from WhatsApp and
 * `+1 650 555 1234` from a host are one person. `null` when the address cannot be of that kind.
 * This is the one normaliser: every address the runtime stores or looks up goes through it, and
 * adapters that index addresses themselves (the web chat socket registry) use it too, so that two
 * spellings the core takes for one address are one address everywhere. `kind` is the adapter's
 * `capabilities.reach.identity`: `phone` → E.164 (libphonenumber), `email` → lower-cased,
 * `channel` (web chat, Teams, Messenger ids) → without surrounding whitespace.
 *
 * @example
 * ```ts
 * normalizeAddress('channel', 'user:bob ');          // 'user:bob'
 * normalizeAddress('email', 'Ann@Example.com');      // 'ann@example.com'
 * normalizeAddress('phone', '+1 (650) 555-1234');    // '+16505551234'
 * ```
 */
export function normalizeAddress(
  kind: IdentityKind,
  address: string,
  options: PhoneOptions = {},
): string | null {
  if (kind === 'phone') return toE164(address, options);
  if (kind === 'email') return normalizeEmail(address);
  const trimmed = address.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * The stored identity an address names, including one written by the 0.x regex normaliser under
 * a spelling the current one no longer produces (`+4407700900123` for `+44 (0)7700 900123`). Only
 * looked up when the two spellings differ, so the usual path costs nothing extra. `null` when no
 * identity exists under either.
 */
export async function findLegacyIdentity(
  identities: IdentityStore,
  input: { channel: string; kind: IdentityKind; raw: string; address: string | null },
): Promise<Identity | null> {
  if (input.kind !== 'phone') return null;
  const legacy = legacyE164(input.raw);
  if (legacy === null || legacy === input.address) return null;
  return identities.get({ channel: input.channel, address: legacy });
}

/**
 * Why `raw` is not an address of `kind`, for a `ValidationError` issue: for a phone number, what
 * was expected and, when no `defaultRegion` is set, how to make a national number readable.
 *
 * @example
 * ```ts
 * invalidAddressMessage('phone', '202-555-0143', {});
 * // '"202-555-0143" is not an E.164 phone number (international form like +447700900123; a national number needs the defaultRegion option)'
 * ```
 */
export function invalidAddressMessage(
  kind: IdentityKind,
  raw: string,
  options: PhoneOptions = {},
): string {
  const shown = JSON.stringify(raw);
  if (kind === 'email') return `${shown} is not an email address`;
  if (kind === 'channel') return `${shown} is not a valid channel address (empty)`;
  if (options.defaultRegion === undefined) {
    return `${shown} is not an E.164 phone number (international form like +447700900123; a national number needs the defaultRegion option)`;
  }
  return `${shown} is not an E.164 phone number (international form like +447700900123) nor a national number of ${options.defaultRegion}`;
}
