/**
 * The key layout (see the README's "Key layout" for the whole table). Three kinds of key:
 *
 * - one user's data shares the hash tag `{u:<userId>}`: the user, contact lists, identities,
 *   threads index, held messages, and each thread with its entries (a thread id starts with the
 *   tag of the user it was made for, so `t:<threadId>` lands in that user's slot);
 * - the outbox and the jobs each live under one tag of their own (`{o}`, `{j}`): claiming due
 *   work must see every due item at once, as a BullMQ queue does;
 * - lookups by a global name (a contact point, a channel address, a dedupe key, a lease, a
 *   consent record) are single keys: Cluster spreads them, and no script joins two of them.
 *
 * No script ever touches two slots; a step that needs two (creating a user with a contact point,
 * linking an address, a merge, an erasure) is several scripts in an order that is safe to repeat.
 */
export interface Keys {
  readonly prefix: string;
  /** The hash tag of one user's slot. */
  userTag(userId: string): string;
  /** The start of every key in one user's slot (scripts append `identity:<member>`, …). */
  userBase(userId: string): string;
  /** An identity's member in {@link Keys.identities} and the tail of its key. */
  identityMember(channel: string, address: string): string;
  user(userId: string): string;
  phones(userId: string): string;
  emails(userId: string): string;
  /** Sorted set of `channel\u0000address` by creation time: the user's identities. */
  identities(userId: string): string;
  identity(userId: string, channel: string, address: string): string;
  /** Hash agentId → threadId. */
  threadByAgent(userId: string): string;
  /** Sorted set of thread ids in creation order. */
  threadList(userId: string): string;
  /** Hash `<channel>\u0000<order>` → held message JSON. */
  held(userId: string): string;
  thread(threadId: string): string;
  entries(threadId: string): string;
  /** Which user a channel address belongs to. */
  address(channel: string, address: string): string;
  /** Which user a normalised contact point belongs to. */
  contact(kind: string, value: string): string;
  dedupe(key: string): string;
  lease(key: string): string;
  consent(channel: string, address: string): string;
  /** The outbox slot's key prefix: scripts append `d:<id>`, `ev:<id>`, `due`, … to it. */
  readonly outbox: string;
  /** The jobs slot's key prefix. */
  readonly jobs: string;
  /** The pub/sub channel of a topic. */
  topic(topic: string): string;
}

/** A separator no channel name or address contains. */
export const SEPARATOR = '\u0000';

/**
 * The key names under `prefix`. A user id or address may contain anything, braces included: a
 * brace only moves the hash tag of a single-key lookup, and per-user keys all begin with the same
 * `{u:<userId>` text, so they keep one tag whatever the id holds.
 *
 * @example
 * ```ts
 * createKeys('threadline:').user('ann'); // 'threadline:{u:ann}:user'
 * ```
 */
export function createKeys(prefix: string): Keys {
  const u = (userId: string) => `${prefix}{u:${userId}}`;
  // A thread id made here starts with its user's tag; any other (a caller's typo) gets a tag of
  // its own, so its two keys still share a slot and the lookup answers "not found".
  const tagged = (threadId: string) => (threadId.startsWith('{u:') ? threadId : `{${threadId}}`);
  const pair = (channel: string, address: string) => `${encodeURIComponent(channel)}:${address}`;
  return {
    prefix,
    userTag: (userId) => `{u:${userId}}`,
    userBase: (userId) => `${u(userId)}:`,
    identityMember: pair,
    user: (userId) => `${u(userId)}:user`,
    phones: (userId) => `${u(userId)}:phones`,
    emails: (userId) => `${u(userId)}:emails`,
    identities: (userId) => `${u(userId)}:identities`,
    identity: (userId, channel, address) => `${u(userId)}:identity:${pair(channel, address)}`,
    threadByAgent: (userId) => `${u(userId)}:threads`,
    threadList: (userId) => `${u(userId)}:thread-list`,
    held: (userId) => `${u(userId)}:held`,
    thread: (threadId) => `${prefix}t:${tagged(threadId)}`,
    entries: (threadId) => `${prefix}e:${tagged(threadId)}`,
    address: (channel, address) => `${prefix}address:${pair(channel, address)}`,
    contact: (kind, value) => `${prefix}contact:${kind}:${value}`,
    dedupe: (key) => `${prefix}dedupe:${key}`,
    lease: (key) => `${prefix}lease:${key}`,
    consent: (channel, address) => `${prefix}consent:${pair(channel, address)}`,
    outbox: `${prefix}{o}:`,
    jobs: `${prefix}{j}:`,
    topic: (topic) => `${prefix}ps:${topic}`,
  };
}
