import type { Names } from '../names';

/**
 * Durable agent turns (`TurnStore`): one row per pending turn, deleted when it completes. A new
 * table only, so safe on a database in use; older instances in a rolling deploy never read it.
 * No foreign key to the thread: a merge moves entries to another thread, and the turn must not
 * block it (the runtime reports a turn whose entry is gone).
 */
export function turnsSchema(n: Names): string {
  const p = n.prefix;
  return `
CREATE TABLE ${n.turns} (
  id               text PRIMARY KEY,
  thread_id        text NOT NULL,
  seq              integer NOT NULL,
  user_id          text NOT NULL,
  adapter_id       text NOT NULL,
  channel          text NOT NULL,
  address          text NOT NULL,
  attempts         integer NOT NULL,
  lease_owner      text NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  UNIQUE (thread_id, seq)
);
-- claimDue: the turns whose lease has run out, oldest first.
CREATE INDEX ${p}turns_lease_idx ON ${n.turns} (lease_expires_at);
`;
}
