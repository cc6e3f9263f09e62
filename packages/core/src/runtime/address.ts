import { normalizeEmail, toE164 } from '../message/address';
import type { IdentityKind } from '../store/identities';

/**
 * Puts an address in the form identities are stored under, so `16505551234` from WhatsApp and
 * `+1 650 555 1234` from a host are one person. `null` when the address cannot be of that kind.
 */
export function normalizeAddress(kind: IdentityKind, address: string): string | null {
  if (kind === 'phone') return toE164(address);
  if (kind === 'email') return normalizeEmail(address);
  const trimmed = address.trim();
  return trimmed === '' ? null : trimmed;
}
