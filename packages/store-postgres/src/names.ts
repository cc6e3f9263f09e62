/**
 * The qualified names of every object the store owns, built once from the validated `schema` and
 * `tablePrefix`. Both are checked against {@link IDENTIFIER_PATTERN} before they get here, and
 * every name is double-quoted, so interpolating them into SQL cannot inject anything.
 */
export interface Names {
  readonly schema: string;
  readonly prefix: string;
  /** `"schema"` as it goes into SQL. */
  readonly schemaSql: string;
  readonly migrations: string;
  readonly users: string;
  readonly contacts: string;
  readonly identities: string;
  readonly threads: string;
  readonly entries: string;
  readonly dedupe: string;
  readonly deliveries: string;
  readonly deliveryEvents: string;
  readonly held: string;
  readonly consent: string;
  readonly leases: string;
  readonly jobs: string;
  readonly pubsubOverflow: string;
  readonly inboundFailures: string;
  /** Durable agent turns (`TurnStore`). */
  readonly turns: string;
  /** The SQL function that holds the forward-only status rule. */
  readonly canAdvance: string;
  /** The SQL function that records an inbound message in one call (`InboundLog.record`). */
  readonly recordInbound: string;
  /** The LISTEN/NOTIFY channel of this store (unquoted: it is a plain lower-case identifier). */
  readonly channel: string;
}

/** Lower-case letters, digits and `_`, not starting with a digit: safe unquoted and quoted. */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** Postgres truncates identifiers at 63 bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_LENGTH = 63;

/**
 * The longest suffix the schema appends to the prefix (`delivery_events_at_idx`, …), so the
 * options can refuse a prefix that would make Postgres truncate, and so collide, two names.
 */
export const LONGEST_SUFFIX = 'deliveries_provider_id_idx'.length;

function quote(identifier: string): string {
  return `"${identifier}"`;
}

/**
 * FNV-1a, 32 bits: a stable, dependency-free hash for advisory-lock keys and channel names.
 *
 * @example
 * ```ts
 * fnv1a('public.threadline_'); // the same number on every instance
 * ```
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  // As a signed 32-bit integer: what pg_advisory_xact_lock(int4, int4) takes.
  return hash | 0;
}

/**
 * The names for one `schema` and `tablePrefix`.
 *
 * @example
 * ```ts
 * createNames('public', 'threadline_').users; // '"public"."threadline_users"'
 * ```
 */
export function createNames(schema: string, prefix: string): Names {
  const table = (name: string) => `${quote(schema)}.${quote(`${prefix}${name}`)}`;
  // NOTIFY channels are database-wide, not per schema: the hash keeps two stores in one database
  // (two schemas, or two prefixes) from hearing each other.
  const hash = (fnv1a(`${schema}.${prefix}`) >>> 0).toString(16).padStart(8, '0');
  return {
    schema,
    prefix,
    schemaSql: quote(schema),
    migrations: table('migrations'),
    users: table('users'),
    contacts: table('contacts'),
    identities: table('identities'),
    threads: table('threads'),
    entries: table('entries'),
    dedupe: table('dedupe'),
    deliveries: table('deliveries'),
    deliveryEvents: table('delivery_events'),
    held: table('held'),
    consent: table('consent'),
    leases: table('leases'),
    jobs: table('jobs'),
    pubsubOverflow: table('pubsub_overflow'),
    inboundFailures: table('inbound_failures'),
    turns: table('turns'),
    canAdvance: table('can_advance_status'),
    recordInbound: table('record_inbound'),
    channel: `${prefix}pubsub_${hash}`,
  };
}
