import type { ConsentRecord } from './consent';
import type { Delivery } from './deliveries';
import type { HeldMessage } from './held';
import type { Identity } from './identities';
import type { Thread, ThreadEntry } from './threads';
import type { PendingTurn } from './turns';
import type { User } from './users';

/** Everything stored about one user, for a data-export (access) request. */
export interface UserExport {
  user: User;
  identities: Identity[];
  threads: Array<{ thread: Thread; entries: ThreadEntry[] }>;
  /** The deliveries for the user and those recorded in the user's threads. */
  deliveries: Delivery[];
  held: HeldMessage[];
  /** Consent decisions for the user's addresses (kept on erasure, see `ConsentStore`). */
  consent: ConsentRecord[];
  /**
   * Agent turns of the user's messages that have not finished (see `TurnStore`): the user's, and
   * any recorded in the user's threads, oldest first (`createdAt`, then `seq`; turns of two threads
   * that tie on both come in an order the store chooses). Each holds the
   * address the reply goes to. Set by a store that has `turns`; one without the part leaves it out.
   */
  pendingTurns?: PendingTurn[];
}

/** What an erasure removed. */
export interface ErasureReport {
  userId: string;
  identities: number;
  threads: number;
  entries: number;
  deliveries: number;
  held: number;
  /**
   * Pending agent turns removed (see `TurnStore`). Set by a store that has `turns`; one without
   * the part leaves it out.
   */
  turns?: number;
}

/** Right-to-erasure and export of one user's data. */
export interface PrivacyStore {
  /**
   * Everything about the user as plain data (JSON-serialisable), or `null` for an unknown user.
   * Its deliveries are those `eraseUser` would remove: the user's and those recorded in the user's
   * threads.
   */
  exportUser(userId: string): Promise<UserExport | null>;
  /**
   * Deletes the user with every contact point, identity, thread, entry, delivery (those for the
   * user and those recorded in the user's threads), held message and pending turn (the user's and
   * those recorded in the user's threads: a turn left behind would wake the agent for an erased
   * user, with the address). Consent records stay (a suppression list). Returns `null` for an
   * unknown user.
   */
  eraseUser(userId: string): Promise<ErasureReport | null>;
}
