import {
  type BatchOutcome,
  checkDuration,
  checkInboundRecord,
  type InboundLog,
  type InboundRecordInput,
  type InboundRecordResult,
  StoreError,
} from '@threadline/core';
import type { Database } from './database';
import { hasSqlState } from './errors';
import { firstContactLock, RESOLVE_LOCK_CLASS } from './identities';
import { toResult } from './inbound';
import type { Names } from './names';
import { jsonParam, type Row, timeParam } from './rows';
import { toTurn } from './turns';

/**
 * One statement for the batch: `record_inbound` (migration 003) once per item of the `$1` array,
 * in array order (the ordinality scan feeds the calls one row at a time; each call sees what the
 * ones before it wrote, as calls one after another would), then the durable turns of the items
 * that asked for one, in a data-modifying CTE of the same statement. `$2` is now, `$3` the
 * first-contact lock class. One transaction: all of the batch or none of it.
 */
function recordManySql(n: Names): string {
  const item = (key: string) => `m.item->>'${key}'`;
  return `WITH r AS MATERIALIZED (
      SELECT m.i, m.item, ${n.recordInbound}(
        ${item('claim_key')}, (${item('claim_expires_at')})::timestamptz, $2::timestamptz,
        ${item('channel')}, ${item('address')}, ${item('kind')}, ${item('display_name')},
        ${item('contact_kind')}, ${item('contact_value')}, $3::int, (${item('lock_key')})::int,
        ${item('user_id')}, ${item('thread_id')},
        ${item('adapter_id')}, m.item->'reference', ${item('agent_id')},
        (${item('at')})::timestamptz, ${item('text')}, ${item('entry_channel')},
        ${item('entry_adapter_id')}, ${item('delivery_id')}, ${item('provider_message_id')},
        m.item->'parts', m.item->'media', m.item->'metadata'
      ) AS result
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS m(item, i)
    ),
    t AS (
      INSERT INTO ${n.turns} (id, thread_id, seq, user_id, adapter_id, channel, address, attempts,
        lease_owner, lease_expires_at, created_at)
      SELECT r.item->>'turn_id', r.result->'thread'->>'id', (r.result->'entry'->>'seq')::integer,
        r.result->'user'->>'id', r.item->>'adapter_id', r.item->>'channel',
        r.result->'identity'->>'address', 1, r.item->>'turn_owner',
        (r.item->>'turn_expires_at')::timestamptz, $2::timestamptz
      FROM r WHERE r.item ? 'turn_id' AND (r.result->>'duplicate')::boolean IS NOT TRUE
      ON CONFLICT (thread_id, seq) DO NOTHING
      RETURNING *)
    SELECT r.i, r.result, (SELECT row_to_json(t) FROM t
        WHERE t.thread_id = r.result->'thread'->>'id'
          AND t.seq = (r.result->'entry'->>'seq')::integer) AS turn
    FROM r ORDER BY r.i`;
}

/**
 * One item of the statement's `$1` array, as JSON text, after the checks `record` makes (they
 * throw for this item alone). Optional values are left out rather than `null`: `->` then gives
 * SQL NULL, as `record`'s absent parameters do.
 */
function batchItem(db: Database, input: InboundRecordInput, now: Date): string {
  checkInboundRecord(input);
  if (input.turn !== undefined) checkDuration(input.turn.leaseMs, 'turn.leaseMs', 'lease');
  const { sender, entry, turn } = input;
  const { contact, lockKey } = firstContactLock(sender);
  // Checked one by one, as `record` checks them, so a bad value names its own field.
  for (const [path, value] of [
    ['reference', input.reference],
    ['entry.parts', entry.parts],
    ['entry.media', entry.media],
    ['entry.metadata', entry.metadata],
  ] as const) {
    jsonParam(value, path);
  }
  return jsonParam(
    {
      claim_key: input.claimKey,
      claim_expires_at: timeParam(new Date(now.getTime() + input.claimTtlMs)),
      channel: sender.channel,
      address: sender.address,
      kind: sender.kind,
      display_name: sender.displayName,
      contact_kind: contact?.kind,
      contact_value: contact?.value,
      lock_key: lockKey,
      user_id: db.generateId(),
      thread_id: db.generateId(),
      adapter_id: input.adapterId,
      reference: input.reference,
      agent_id: input.agentId,
      at: timeParam(entry.at),
      text: entry.text,
      entry_channel: entry.channel,
      entry_adapter_id: entry.adapterId,
      delivery_id: entry.deliveryId,
      provider_message_id: entry.providerMessageId,
      parts: entry.parts,
      media: entry.media,
      metadata: entry.metadata,
      ...(turn === undefined
        ? {}
        : {
            turn_id: db.generateId(),
            turn_owner: turn.owner,
            turn_expires_at: timeParam(new Date(now.getTime() + turn.leaseMs)),
          }),
    },
    'inbound',
  ) as string;
}

function failed(error: unknown): BatchOutcome<InboundRecordResult> {
  return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
}

/**
 * Whether a failed batch statement may have been spoiled by one of its items (a value the
 * database refused, a unique key lost to a writer that takes no lock, a deadlock with another
 * batch), so that recording each on its own gives every item its own answer. Not when the
 * database was unreachable: each item would only fail the same way, one connection attempt each.
 */
function spoiledByAnItem(error: unknown): boolean {
  if (hasSqlState(error, '40P01') || hasSqlState(error, '40001')) return true;
  return !(error instanceof StoreError && error.code === 'store_unavailable');
}

/**
 * The order a batch records its items in: by sender (channel, then address), each sender's
 * messages in arrival order. Two batches in flight at once then lock the identity and thread rows
 * they share in the same order, so they queue rather than deadlock (a deadlock would cost
 * `deadlock_timeout`, a second by default, and a replay item by item). Messages of different
 * senders in one batch arrived within the same tick, so their order between them is the
 * batch's to choose.
 */
function lockOrder(inputs: readonly InboundRecordInput[]): number[] {
  const key = (index: number) => {
    const { sender } = inputs[index] as InboundRecordInput;
    return `${sender.channel}\u0000${sender.address}`;
  };
  // Array#sort is stable, so equal keys keep their arrival order.
  return inputs
    .map((_, index) => index)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * `inbound.recordMany` on PostgreSQL: a batch is one statement (see {@link recordManySql}), so one
 * round trip and one transaction whatever the mix of returning senders, first contacts and
 * duplicates (a batch of one is a `record` call). An item that fails `record`'s checks fails alone
 * before any SQL. If the statement
 * fails, nothing of it was written: when an item may be the cause, each item is then recorded on
 * its own with `record`, in input order (so each gets exactly `record`'s answer, and one bad
 * message never fails the others); when the database was unreachable, the call rejects.
 *
 * @example
 * ```ts
 * const outcomes = await store.inbound.recordMany([fromAnn, fromBob]); // one statement
 * ```
 */
export function createInboundBatches(
  db: Database,
  record: InboundLog['record'],
): Required<Pick<InboundLog, 'recordMany'>> {
  const sql = recordManySql(db.names);
  return {
    async recordMany(inputs) {
      const outcomes: BatchOutcome<InboundRecordResult>[] = new Array(inputs.length);
      // A batch of one is `record` itself: the same one statement, and its own retry on a lost key.
      if (inputs.length === 1) {
        try {
          return [{ ok: true, value: await record(inputs[0] as InboundRecordInput) }];
        } catch (error) {
          return [failed(error)];
        }
      }
      const now = db.now();
      const batch: number[] = [];
      const items: string[] = [];
      for (const index of lockOrder(inputs)) {
        try {
          items.push(batchItem(db, inputs[index] as InboundRecordInput, now));
          batch.push(index);
        } catch (error) {
          outcomes[index] = failed(error);
        }
      }
      if (items.length === 0) return outcomes;
      let rows: Row[];
      try {
        rows = await db.query('inbound.recordMany', sql, [
          `[${items.join(',')}]`,
          timeParam(now),
          RESOLVE_LOCK_CLASS,
        ]);
      } catch (error) {
        if (!spoiledByAnItem(error)) throw error;
        for (const index of batch) {
          // Replayed in the batch's order, so a sender's messages keep theirs.
          try {
            outcomes[index] = {
              ok: true,
              value: await record(inputs[index] as InboundRecordInput),
            };
          } catch (itemError) {
            outcomes[index] = failed(itemError);
          }
        }
        return outcomes;
      }
      batch.forEach((index, i) => {
        const row = rows[i] as Row;
        const recorded = toResult(row.result as Row);
        const input = inputs[index] as InboundRecordInput;
        const turn = row.turn as Row | null;
        outcomes[index] = {
          ok: true,
          value:
            recorded.duplicate || input.turn === undefined
              ? recorded
              : { ...recorded, turn: turn == null ? null : toTurn(turn) },
        };
      });
      return outcomes;
    },
  };
}
