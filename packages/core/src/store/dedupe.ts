/**
 * At-least-once providers (Meta retries webhooks for up to 7 days) send the same event again; the
 * core claims a key per event before recording it.
 */
export interface DedupeStore {
  /**
   * Claims `key` for `ttlMs`. Resolves `true` for exactly one of any number of concurrent claims;
   * `false` while the claim is live. After the TTL the key may be claimed again.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (processing failed before anything was recorded, so a retry must pass). */
  release(key: string): Promise<void>;
  /**
   * Moves the expiry of a live claim to `ttlMs` from now (longer or shorter). Resolves `false`,
   * changing nothing, when the key has no live claim (never claimed, released, or expired).
   *
   * The core claims a provider message for a short, provisional TTL, records it, and only then
   * extends the claim to the full dedupe window: a claim whose record failed, and whose release
   * failed too (the database went down), then expires in seconds instead of turning the
   * provider's retries away for days. Optional for stores written before it; without it the core
   * claims for the full window at once.
   */
  extend?(key: string, ttlMs: number): Promise<boolean>;
}
