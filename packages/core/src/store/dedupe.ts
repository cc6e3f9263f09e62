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
}
