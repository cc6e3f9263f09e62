import { E164_PATTERN } from './address';

/**
 * The spelling the regex normaliser of Threadline 0.x stored for `input` (digits kept as written,
 * a `+` added), or `null` when it refused it. Only used to *find* identities and contacts it wrote:
 * it read `+44 (0)7700 900123` as `+4407700900123`, so a host that still passes that string must
 * reach the row stored then, not split the person in two. Nothing new is ever stored this way.
 */
export function legacyE164(input: string): string | null {
  const withoutScheme = input.trim().replace(/^[a-z]+:/i, '');
  if (/[^\d+\s().-]/.test(withoutScheme)) return null;
  const digits = withoutScheme.replace(/[^\d+]/g, '');
  const candidate = digits.startsWith('+') ? digits : `+${digits}`;
  return E164_PATTERN.test(candidate) ? candidate : null;
}
