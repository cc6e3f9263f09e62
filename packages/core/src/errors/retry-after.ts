/**
 * A provider's `Retry-After` header in milliseconds: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3), relative to `now`. Shared by every HTTP adapter so they all read it alike.
 *
 * @example
 * ```ts
 * parseRetryAfter('7', Date.now()); // 7000
 * parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', Date.parse('2026-01-01T00:00:00Z')); // 30000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1_000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
