/** Who holds a lease, until when. */
export interface LeaseHolder {
  owner: string;
  expiresAt: Date;
}

/**
 * Named, expiring locks shared by every instance on a store: one turn at a time per thread, one
 * runner per job tick. A lease that is not renewed expires, so a dead instance never blocks others.
 */
export interface LeaseStore {
  /** Takes the lease if it is free, expired, or already held by `owner` (which renews it). */
  acquire(input: { key: string; owner: string; ttlMs: number }): Promise<boolean>;
  /** Extends a lease `owner` still holds. `false` if someone else holds it or it was never taken. */
  renew(input: { key: string; owner: string; ttlMs: number }): Promise<boolean>;
  /** Gives the lease back. `false` if `owner` did not hold it, or it had already expired. */
  release(input: { key: string; owner: string }): Promise<boolean>;
  /** The live holder, or `null` when free or expired. */
  holder(key: string): Promise<LeaseHolder | null>;
}
