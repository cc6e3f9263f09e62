// One table per part of the contract. Times are epoch milliseconds (INTEGER); JSON values
// (profiles, payloads, references, errors) are TEXT written with JSON.stringify. Insertion order
// (`rowid`) is the order lists come back in when the contract does not name one.

/** The whole schema, run once when a store opens its (new, in-memory) database. */
export const SCHEMA = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  display_name TEXT,
  profile TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A contact point belongs to at most one user: the primary key enforces it.
CREATE TABLE contacts (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  user_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE INDEX contacts_by_user ON contacts (user_id, position);
CREATE TABLE identities (
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  last_inbound_at INTEGER,
  last_adapter_id TEXT,
  reference TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (channel, address)
);
CREATE INDEX identities_by_user ON identities (user_id);
CREATE TABLE threads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, agent_id)
);
CREATE TABLE entries (
  thread_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  direction TEXT NOT NULL,
  at INTEGER NOT NULL,
  text TEXT NOT NULL,
  channel TEXT,
  adapter_id TEXT,
  parts TEXT,
  media TEXT,
  delivery_id TEXT,
  provider_message_id TEXT,
  metadata TEXT,
  PRIMARY KEY (thread_id, seq)
);
CREATE TABLE dedupe (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  adapter_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  payload TEXT NOT NULL,
  origin TEXT NOT NULL,
  agent_id TEXT,
  user_id TEXT,
  thread_id TEXT,
  idempotency_key TEXT UNIQUE,
  template_name TEXT,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  provider_message_id TEXT,
  provider_message_ids TEXT,
  error TEXT,
  pricing TEXT,
  events TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_user ON deliveries (user_id);
-- Every provider id of a delivery (each part of a split message), for receipts.
CREATE TABLE provider_ids (
  adapter_id TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  PRIMARY KEY (adapter_id, provider_message_id)
);
CREATE TABLE held (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  held_at INTEGER NOT NULL
);
CREATE TABLE consent (
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  keyword TEXT,
  PRIMARY KEY (channel, address)
);
CREATE TABLE leases (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  handler TEXT NOT NULL,
  schedule TEXT NOT NULL,
  schedule_key TEXT NOT NULL,
  data TEXT NOT NULL,
  next_run_at INTEGER,
  last_run_at INTEGER,
  last_error TEXT,
  failures INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE inbound_failures (
  adapter_id TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  first_failed_at INTEGER NOT NULL,
  dead_at INTEGER,
  error TEXT,
  message TEXT,
  PRIMARY KEY (adapter_id, provider_message_id)
);
`;
