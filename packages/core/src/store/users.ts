import type { JsonObject } from '../message/json';

/** The kinds of contact point that identify one person across channels. */
export type ContactKind = 'phone' | 'email';

/** A contact point: an E.164 number or an email address. */
export interface ContactPoint {
  kind: ContactKind;
  value: string;
}

/** A person talking to the agent, on however many channels. */
export interface User {
  id: string;
  /** Absent (no key at all) when the user has none. */
  displayName?: string;
  /** E.164 numbers known to belong to this user (one number is one person on WhatsApp and SMS). */
  phoneNumbers: string[];
  /** Email addresses known to belong to this user. */
  emails: string[];
  /** Host data about the user. */
  profile: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

/** Input to {@link UserStore.create}. */
export interface NewUser {
  /** Your own id for the user; generated when absent. */
  id?: string;
  displayName?: string;
  phoneNumbers?: string[];
  emails?: string[];
  profile?: JsonObject;
}

/**
 * Users and their contact points. Contact points are stored normalised (E.164 numbers, lower-cased
 * emails, see `toE164` and `normalizeEmail`); one that cannot be normalised is a `ValidationError`.
 * A contact point belongs to at most one user: creating a user or adding a contact that another
 * user already has is a `ValidationError` (merge the users instead). A refusal's issue names the
 * field: `phoneNumbers.<i>` or `emails.<i>` (`create`), `value` (`addContact`), `id` (an id that
 * exists), `from` (merging a user into itself). Wherever a method names a user that does not exist
 * (here, in `threads.ensure`, `identities.link`) it rejects with a `NotFoundError` of kind `user`
 * (code `user_not_found`) carrying the id.
 */
export interface UserStore {
  create(input: NewUser): Promise<User>;
  get(userId: string): Promise<User | null>;
  /** The user who owns a phone number or email address; `null` for none or a malformed one. */
  findByContact(contact: ContactPoint): Promise<User | null>;
  /**
   * Changes the display name or replaces the profile; a field left out keeps its stored value.
   * Throws `NotFoundError` for an unknown user.
   */
  update(userId: string, patch: { displayName?: string; profile?: JsonObject }): Promise<User>;
  /** Adds a phone number or email to a user (idempotent for the same user). */
  addContact(userId: string, contact: ContactPoint): Promise<User>;
  /**
   * Merges `from` into `into`: identities, contact points, deliveries, held messages and pending
   * turns move over, threads with the same agent merge in time order (re-numbered; entries with
   * one `at` keep `into`'s first, each thread's in its own order), and `from` is deleted. A
   * pending turn keeps its id and lease and still names its message: its `threadId` and `seq`
   * follow the entry into the merged thread.
   */
  merge(input: { into: string; from: string }): Promise<User>;
}
