import type { Names } from '../names';

/**
 * The first schema: every table, index and the status rule. Each statement says why its index
 * exists: it names the query it serves.
 */
export function initialSchema(n: Names): string {
  const p = n.prefix;
  return `
CREATE TABLE ${n.users} (
  id           text PRIMARY KEY,
  display_name text,
  profile      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

-- One phone number or email belongs to at most one user: the primary key is the rule.
CREATE TABLE ${n.contacts} (
  kind    text NOT NULL CHECK (kind IN ('phone', 'email')),
  value   text NOT NULL,
  user_id text NOT NULL REFERENCES ${n.users} (id) ON DELETE CASCADE,
  ord     bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (kind, value)
);
-- A user's contact points, in the order they were added.
CREATE INDEX ${p}contacts_user_idx ON ${n.contacts} (user_id, ord);

-- Identity lookup on every inbound message: the primary key (channel, address).
CREATE TABLE ${n.identities} (
  channel         text NOT NULL,
  address         text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('phone', 'email', 'channel')),
  user_id         text NOT NULL REFERENCES ${n.users} (id),
  last_inbound_at timestamptz,
  last_adapter_id text,
  reference       jsonb,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (channel, address)
);
CREATE INDEX ${p}identities_user_idx ON ${n.identities} (user_id);

-- last_seq is the thread's counter: an append updates it under the row lock, so concurrent
-- appends to one thread take turns and get consecutive numbers.
CREATE TABLE ${n.threads} (
  id         text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES ${n.users} (id),
  agent_id   text NOT NULL,
  last_seq   bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  CONSTRAINT ${p}threads_user_agent_key UNIQUE (user_id, agent_id)
);

-- The primary key (thread_id, seq) is also the index of "latest N" and "before/after seq" reads.
CREATE TABLE ${n.entries} (
  thread_id           text NOT NULL REFERENCES ${n.threads} (id),
  seq                 bigint NOT NULL,
  direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'system')),
  at                  timestamptz NOT NULL,
  text                text NOT NULL,
  channel             text,
  adapter_id          text,
  delivery_id         text,
  provider_message_id text,
  parts               jsonb,
  media               jsonb,
  metadata            jsonb,
  PRIMARY KEY (thread_id, seq)
);

CREATE TABLE ${n.dedupe} (
  key        text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
-- cleanup() deletes expired keys.
CREATE INDEX ${p}dedupe_expires_idx ON ${n.dedupe} (expires_at);

-- user_id and thread_id are not foreign keys: a delivery may be created before, or without, a
-- user (a cold send to a number), and it outlives nothing it points to (erasure deletes it).
CREATE TABLE ${n.deliveries} (
  id                  text PRIMARY KEY,
  ord                 bigint GENERATED ALWAYS AS IDENTITY,
  channel             text NOT NULL,
  adapter_id          text NOT NULL,
  recipient           text NOT NULL,
  payload             jsonb NOT NULL,
  origin              text NOT NULL,
  agent_id            text,
  user_id             text,
  thread_id           text,
  idempotency_key     text,
  template_name       text,
  status              text NOT NULL CHECK (status IN
                        ('queued', 'accepted', 'sent', 'delivered', 'read', 'failed', 'expired')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz,
  lease_owner         text,
  lease_expires_at    timestamptz,
  provider_message_id text,
  error               jsonb,
  pricing             jsonb,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT ${p}deliveries_idempotency_key UNIQUE (idempotency_key),
  CONSTRAINT ${p}deliveries_lease_check CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
-- claimDue: queued and due, oldest first. Partial, so finished deliveries cost it nothing.
CREATE INDEX ${p}deliveries_due_idx ON ${n.deliveries} (next_attempt_at, ord)
  WHERE status = 'queued' AND next_attempt_at IS NOT NULL;
-- Status receipts find their delivery by the provider's message id.
CREATE INDEX ${p}deliveries_provider_id_idx ON ${n.deliveries} (adapter_id, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
-- list(): newest first, optionally for one user.
CREATE INDEX ${p}deliveries_created_idx ON ${n.deliveries} (created_at DESC, ord DESC);
CREATE INDEX ${p}deliveries_user_idx ON ${n.deliveries} (user_id, created_at DESC)
  WHERE user_id IS NOT NULL;
-- Merging and erasing a user's threads find the deliveries recorded in them.
CREATE INDEX ${p}deliveries_thread_idx ON ${n.deliveries} (thread_id) WHERE thread_id IS NOT NULL;

CREATE TABLE ${n.deliveryEvents} (
  delivery_id text NOT NULL REFERENCES ${n.deliveries} (id) ON DELETE CASCADE,
  ord         bigint GENERATED ALWAYS AS IDENTITY,
  status      text NOT NULL,
  at          timestamptz NOT NULL,
  source      text NOT NULL,
  detail      text,
  PRIMARY KEY (delivery_id, ord)
);
-- cleanup() trims history older than the retention.
CREATE INDEX ${p}delivery_events_at_idx ON ${n.deliveryEvents} (at);

CREATE TABLE ${n.held} (
  id          text PRIMARY KEY,
  ord         bigint GENERATED ALWAYS AS IDENTITY,
  user_id     text NOT NULL,
  channel     text NOT NULL,
  delivery_id text NOT NULL,
  held_at     timestamptz NOT NULL
);
-- release() and list(): one user's held messages, oldest first.
CREATE INDEX ${p}held_user_idx ON ${n.held} (user_id, channel, held_at, ord);

CREATE TABLE ${n.consent} (
  channel text NOT NULL,
  address text NOT NULL,
  status  text NOT NULL CHECK (status IN ('opted-out', 'opted-in')),
  at      timestamptz NOT NULL,
  keyword text,
  PRIMARY KEY (channel, address)
);

CREATE TABLE ${n.leases} (
  key        text PRIMARY KEY,
  owner      text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE ${n.jobs} (
  id               text PRIMARY KEY,
  handler          text NOT NULL,
  schedule         jsonb NOT NULL,
  schedule_key     text NOT NULL,
  data             jsonb,
  next_run_at      timestamptz,
  last_run_at      timestamptz,
  last_error       text,
  failures         integer NOT NULL DEFAULT 0,
  lease_owner      text,
  lease_expires_at timestamptz,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
-- jobs.claimDue: due jobs, oldest first.
CREATE INDEX ${p}jobs_due_idx ON ${n.jobs} (next_run_at) WHERE next_run_at IS NOT NULL;

-- NOTIFY payloads stop at 8000 bytes: a larger message waits here and the notification carries
-- its id. cleanup() deletes rows older than an hour.
CREATE TABLE ${n.pubsubOverflow} (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload    text NOT NULL,
  created_at timestamptz NOT NULL
);

-- The forward-only status rule of canAdvanceStatus (@threadline/core), in SQL, so a status can be
-- moved in the same statement that checks it: queued → accepted → sent → delivered → read,
-- failed/expired from anything but read, nothing out of failed/expired.
CREATE FUNCTION ${n.canAdvance}(current_status text, next_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN current_status IN ('failed', 'expired') THEN false
    WHEN next_status IN ('failed', 'expired') THEN current_status <> 'read'
    ELSE array_position(ARRAY['queued', 'accepted', 'sent', 'delivered', 'read'], next_status)
       > array_position(ARRAY['queued', 'accepted', 'sent', 'delivered', 'read'], current_status)
  END
$$;
`;
}
