import {
  checkDuration,
  checkInboundRecord,
  type InboundLog,
  type InboundRecordResult,
} from '@threadline/core';
import type { Database } from './database';
import { hasSqlState } from './errors';
import { firstContactLock, RESOLVE_ATTEMPTS, RESOLVE_LOCK_CLASS, toIdentity } from './identities';
import type { Names } from './names';
import { jsonParam, type Row, timeParam } from './rows';
import { toEntry, toThread } from './threads';
import { toTurn } from './turns';
import { toUser } from './users';

/** The `record_inbound` result (jsonb, parsed by the driver) as the contract's result. */
export function toResult(result: Row): InboundRecordResult {
  if (result.duplicate === true) return { duplicate: true };
  return {
    duplicate: false,
    identity: toIdentity(result.identity as Row),
    user: toUser(result.user as Row),
    created: result.created === true,
    userCreated: result.user_created === true,
    thread: toThread(result.thread as Row),
    entry: toEntry(result.entry as Row),
    hasHeld: result.has_held === true,
  };
}

/** The arguments of `record_inbound` (migration 003). */
const RECORD_ARGUMENTS = 25;

/**
 * One statement: `record_inbound`, and with `withTurn` the durable turn of the new entry in a
 * data-modifying CTE of the same statement, so both commit or neither does (`$26`–`$28`: the
 * turn's id, owner and lease expiry; `$3` is now, `$4` the channel, `$14` the adapter id).
 */
function recordSql(n: Names, withTurn: boolean): string {
  const call = `${n.recordInbound}(${Array.from({ length: RECORD_ARGUMENTS }, (_, i) => `$${i + 1}`).join(', ')})`;
  if (!withTurn) return `SELECT ${call} AS result`;
  return `WITH r AS (SELECT ${call} AS result),
    t AS (
      INSERT INTO ${n.turns} (id, thread_id, seq, user_id, adapter_id, channel, address, attempts,
        lease_owner, lease_expires_at, created_at)
      SELECT $26::text, r.result->'thread'->>'id', (r.result->'entry'->>'seq')::integer,
        r.result->'user'->>'id', $14::text, $4::text, r.result->'identity'->>'address', 1,
        $27::text, $28::timestamptz, $3::timestamptz
      FROM r WHERE (r.result->>'duplicate')::boolean IS NOT TRUE
      ON CONFLICT (thread_id, seq) DO NOTHING
      RETURNING *)
    SELECT r.result, (SELECT row_to_json(t) FROM t) AS turn FROM r`;
}

/**
 * `inbound.record` as one call of the `record_inbound` function (migration 003): one round trip,
 * one transaction, for a returning sender and a first contact alike. Serialising the input is
 * done before the call, so a value that cannot be sent fails with nothing written; any error in
 * the database rolls the whole call back, the claim included.
 *
 * @example
 * ```ts
 * const result = await store.inbound.record({ claimKey, claimTtlMs, sender, adapterId, agentId, entry });
 * ```
 */
export function createInboundLog(db: Database): InboundLog {
  const n = db.names;
  return {
    async record(input) {
      checkInboundRecord(input);
      if (input.turn !== undefined) checkDuration(input.turn.leaseMs, 'turn.leaseMs', 'lease');
      const { sender, entry } = input;
      const { contact, lockKey } = firstContactLock(sender);
      const values = [
        jsonParam(input.reference, 'reference'),
        input.agentId,
        timeParam(entry.at),
        entry.text,
        entry.channel ?? null,
        entry.adapterId ?? null,
        entry.deliveryId ?? null,
        entry.providerMessageId ?? null,
        jsonParam(entry.parts, 'entry.parts'),
        jsonParam(entry.media, 'entry.media'),
        jsonParam(entry.metadata, 'entry.metadata'),
      ];
      for (let attempt = 1; ; attempt += 1) {
        const now = db.now();
        try {
          const [row] = await db.query<{ result: Row; turn: Row | null }>(
            'inbound.record',
            recordSql(n, input.turn !== undefined),
            [
              input.claimKey,
              timeParam(new Date(now.getTime() + input.claimTtlMs)),
              timeParam(now),
              sender.channel,
              sender.address,
              sender.kind,
              sender.displayName ?? null,
              contact?.kind ?? null,
              contact?.value ?? null,
              RESOLVE_LOCK_CLASS,
              lockKey,
              db.generateId(),
              db.generateId(),
              input.adapterId,
              ...values,
              ...(input.turn === undefined
                ? []
                : [
                    db.generateId(),
                    input.turn.owner,
                    timeParam(new Date(now.getTime() + input.turn.leaseMs)),
                  ]),
            ],
          );
          const { result, turn } = row as { result: Row; turn?: Row | null };
          const recorded = toResult(result);
          if (recorded.duplicate || input.turn === undefined) return recorded;
          return { ...recorded, turn: turn == null ? null : toTurn(turn) };
        } catch (error) {
          // A unique key lost to a writer that takes no lock (users.create, identities.link):
          // everything was rolled back; the next call finds what the winner wrote.
          if (!hasSqlState(error, '23505') || attempt >= RESOLVE_ATTEMPTS) throw error;
        }
      }
    },
  };
}
