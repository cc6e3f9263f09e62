import type { Names } from './names';

/**
 * One statement that creates a batch of deliveries, their `queued` events and their thread
 * entries. `$1` is a JSON array of items (see `batchItem`), `$2` the creation time.
 *
 * - The threads that get entries are locked first, in id order (`FOR UPDATE` after `ORDER BY`
 *   locks in that order), so two batches over the same threads queue instead of deadlocking. An
 *   item whose thread does not exist (or was deleted before the lock) is not inserted at all.
 * - `ON CONFLICT (idempotency_key) DO NOTHING` skips an item whose key is taken, exactly as a
 *   single create does; the caller looks those keys up. Repeats of a key inside one batch never
 *   reach the statement (the caller answers them from the first).
 * - Each locked thread's `last_seq` moves by the number of entries it gets, and those entries
 *   take the numbers in between in item order: no gaps, no repeats. The join to the bumped row is
 *   a LEFT JOIN on purpose: if a thread could still vanish, its entry's `seq` would be NULL and
 *   the NOT NULL constraint would fail the whole statement rather than leave a delivery without
 *   its entry.
 * - `ORDER BY i` makes `ord` (and so `list`'s order among equal creation times) follow the items.
 *
 * The answer has one row per item, in item order: the created delivery's columns (NULL when not
 * created), its entry as JSON, and whether its thread was found.
 */
export function createBatchSql(n: Names): string {
  return `WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      i integer, id text, channel text, adapter_id text, recipient text, payload jsonb,
      origin text, agent_id text, user_id text, thread_id text, idempotency_key text,
      template_name text, attempts integer, next_attempt_at timestamptz, lease_owner text,
      lease_expires_at timestamptz, entry jsonb)),
  locked AS (
    SELECT t.id FROM ${n.threads} t
    WHERE t.id IN (SELECT thread_id FROM input WHERE entry IS NOT NULL)
    ORDER BY t.id FOR UPDATE),
  created AS (
    INSERT INTO ${n.deliveries} (id, channel, adapter_id, recipient, payload, origin, agent_id,
      user_id, thread_id, idempotency_key, template_name, status, attempts, next_attempt_at,
      lease_owner, lease_expires_at, created_at, updated_at)
    SELECT x.id, x.channel, x.adapter_id, x.recipient, x.payload, x.origin, x.agent_id,
      x.user_id, x.thread_id, x.idempotency_key, x.template_name, 'queued', x.attempts,
      x.next_attempt_at, x.lease_owner, x.lease_expires_at, $2::timestamptz, $2::timestamptz
    FROM input x
    WHERE x.entry IS NULL OR x.thread_id IN (SELECT id FROM locked)
    ORDER BY x.i
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *),
  events AS (
    INSERT INTO ${n.deliveryEvents} (delivery_id, status, at, source)
    SELECT c.id, 'queued', $2::timestamptz, 'dispatcher' FROM created c ORDER BY c.ord),
  written AS (
    SELECT x.i, x.id, x.thread_id, x.entry,
      row_number() OVER (PARTITION BY x.thread_id ORDER BY x.i) AS k,
      count(*) OVER (PARTITION BY x.thread_id) AS n
    FROM created c JOIN input x ON x.id = c.id
    WHERE x.entry IS NOT NULL),
  bumped AS (
    UPDATE ${n.threads} t SET last_seq = t.last_seq + w.n
    FROM (SELECT DISTINCT thread_id, n FROM written) w
    WHERE t.id = w.thread_id
    RETURNING t.id, t.last_seq),
  entries AS (
    INSERT INTO ${n.entries} (thread_id, seq, direction, at, text, channel, adapter_id,
      delivery_id, provider_message_id, parts, media, metadata)
    SELECT w.thread_id, b.last_seq - w.n + w.k, w.entry->>'direction',
      (w.entry->>'at')::timestamptz, w.entry->>'text', w.entry->>'channel',
      w.entry->>'adapter_id', w.id, w.entry->>'provider_message_id', w.entry->'parts',
      w.entry->'media', w.entry->'metadata'
    FROM written w LEFT JOIN bumped b ON b.id = w.thread_id
    ORDER BY w.i
    RETURNING *)
  SELECT x.i AS batch_index,
    COALESCE(x.thread_id IN (SELECT id FROM locked), false) AS thread_found,
    c.*,
    CASE WHEN c.id IS NULL THEN NULL ELSE jsonb_build_array(jsonb_build_object(
      'status', 'queued', 'at', c.created_at, 'source', 'dispatcher')) END AS events,
    (SELECT to_jsonb(e) FROM entries e WHERE e.delivery_id = c.id) AS entry
  FROM input x LEFT JOIN created c ON c.id = x.id
  ORDER BY x.i`;
}
