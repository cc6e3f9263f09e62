import type { AddressKey } from './identities';

/** The latest consent decision for one address on one channel. */
export interface ConsentRecord extends AddressKey {
  status: 'opted-out' | 'opted-in';
  at: Date;
  /** The keyword the user sent (`STOP`, `START`), when that is how it happened. */
  keyword?: string;
}

/**
 * Opt-outs per (channel, address). Nothing is ever sent to an opted-out address. The record is kept
 * when a user is erased: a suppression list must outlive the data it suppresses.
 */
export interface ConsentStore {
  /**
   * Records a decision; an older decision than the stored one changes nothing, and of two with one
   * `at` the one recorded later wins.
   */
  record(input: ConsentRecord): Promise<ConsentRecord>;
  get(key: AddressKey): Promise<ConsentRecord | null>;
  isOptedOut(key: AddressKey): Promise<boolean>;
}
