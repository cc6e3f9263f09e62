import type { ConsentRecord } from './consent';
import type { Delivery } from './deliveries';
import type { HeldMessage } from './held';
import type { Identity } from './identities';
import type { Thread, ThreadEntry } from './threads';
import type { User } from './users';

/** Everything stored about one user, for a data-export (access) request. */
export interface UserExport {
  user: User;
  identities: Identity[];
  threads: Array<{ thread: Thread; entries: ThreadEntry[] }>;
  deliveries: Delivery[];
  held: HeldMessage[];
  /** Consent decisions for the user's addresses (kept on erasure, see `ConsentStore`). */
  consent: ConsentRecord[];
}

/** What an erasure removed. */
export interface ErasureReport {
  userId: string;
  identities: number;
  threads: number;
  entries: number;
  deliveries: number;
  held: number;
}

/** Right-to-erasure and export of one user's data. */
export interface PrivacyStore {
  /** Everything about the user as plain data (JSON-serialisable), or `null` for an unknown user. */
  exportUser(userId: string): Promise<UserExport | null>;
  /**
   * Deletes the user with every contact point, identity, thread, entry, delivery (those for the
   * user and those recorded in the user's threads) and held message. Consent
   * records stay (a suppression list). Returns `null` for an unknown user.
   */
  eraseUser(userId: string): Promise<ErasureReport | null>;
}
