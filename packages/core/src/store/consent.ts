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
  /**
   * Optional: `isOptedOut` for several addresses at once (the core reads the consent of the bulk
   * sends of one tick together). Answers each key exactly as `isOptedOut` would answer it alone,
   * in key order, one answer per key: `false` for an address with no decision, the same answer
   * for a key given twice, `[]` for no keys. Reads only. A server-backed store should need one
   * round trip per call. Without it the core calls `isOptedOut` for each address.
   * `runStoreConformance` checks it whenever the store has it (and requires it when told
   * `readBatches: true`).
   *
   * @example
   * ```ts
   * const [ann, bob] = await store.consent.isOptedOutMany([
   *   { channel: 'whatsapp', address: '+447700900123' },
   *   { channel: 'whatsapp', address: '+447700900456' },
   * ]);
   * if (ann) console.log('+447700900123 opted out of WhatsApp');
   * ```
   */
  isOptedOutMany?(keys: readonly AddressKey[]): Promise<boolean[]>;
}
