import { checkCount, checkDuration, type PendingTurn, type TurnStore } from '@threadline/core';
import type { Database } from './database';
import { type Row, timeParam, toDate, toNumber } from './rows';

/** A `turns` row (or its `row_to_json`) as a {@link PendingTurn}. */
export function toTurn(row: Row): PendingTurn {
  return {
    id: String(row.id),
    threadId: String(row.thread_id),
    seq: toNumber(row.seq),
    userId: String(row.user_id),
    adapterId: String(row.adapter_id),
    channel: String(row.channel),
    address: String(row.address),
    attempts: toNumber(row.attempts),
    lease: { owner: String(row.lease_owner), expiresAt: toDate(row.lease_expires_at) },
    createdAt: toDate(row.created_at),
  };
}

function oldestFirst(a: PendingTurn, b: PendingTurn): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq;
}

/**
 * Durable agent turns in `turns` (migration 4): a row per pending turn, deleted on completion.
 * `enqueue` is one `INSERT … ON CONFLICT (thread_id, seq) DO NOTHING`; `claimDue` is the jobs'
 * `FOR UPDATE SKIP LOCKED`, so concurrent pollers never take one turn twice, and a re-check after
 * the locks so they never split one thread's turns between them either (one transaction of two
 * statements: see the comment in `claimDue`).
 *
 * @example
 * ```ts
 * const due = await store.turns.claimDue({ owner: 'instance-b', limit: 20, leaseMs: 60_000 });
 * ```
 */
export function createTurnStore(db: Database): TurnStore {
  const n = db.names;
  return {
    async enqueue(input) {
      checkDuration(input.leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      const [row] = await db.query(
        'turns.enqueue',
        `INSERT INTO ${n.turns} (id, thread_id, seq, user_id, adapter_id, channel, address,
           attempts, lease_owner, lease_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10)
         ON CONFLICT (thread_id, seq) DO NOTHING RETURNING *`,
        [
          db.generateId(),
          input.threadId,
          input.seq,
          input.userId,
          input.adapterId,
          input.channel,
          input.address,
          input.owner,
          timeParam(new Date(now.getTime() + input.leaseMs)),
          timeParam(now),
        ],
      );
      return row === undefined ? null : toTurn(row);
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'turn claim');
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      // A thread's turns are taken over in arrival order, by one caller: none behind an earlier
      // turn that is leased, or that this claim did not lock (another caller holds it). Two
      // statements, because one statement's snapshot predates the row locks it waits for or
      // skips: a claim that just committed would still look expired to it. The first locks the
      // candidates; the second, with a snapshot taken after those locks, keeps the ones with no
      // earlier turn outside this claim.
      const rows = await db.transaction('turns.claimDue', async (tx) => {
        const locked = await tx.query<{ id: string }>(
          `SELECT id FROM ${n.turns} WHERE lease_expires_at <= $1
           ORDER BY created_at, seq, id LIMIT $2
           FOR UPDATE SKIP LOCKED`,
          [timeParam(now), limit],
        );
        if (locked.length === 0) return [];
        return tx.query(
          `UPDATE ${n.turns} t SET attempts = t.attempts + 1, lease_owner = $2, lease_expires_at = $3
           WHERE t.id = ANY($4::text[]) AND t.lease_expires_at <= $1
             AND NOT EXISTS (SELECT 1 FROM ${n.turns} e WHERE e.thread_id = t.thread_id
               AND e.seq < t.seq AND (e.lease_expires_at > $1 OR NOT (e.id = ANY($4::text[]))))
           RETURNING t.*`,
          [
            timeParam(now),
            owner,
            timeParam(new Date(now.getTime() + leaseMs)),
            locked.map((row) => row.id),
          ],
        );
      });
      return rows.map(toTurn).sort(oldestFirst);
    },

    async renew(id, { owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      const rows = await db.query(
        'turns.renew',
        `UPDATE ${n.turns} SET lease_expires_at = $3
         WHERE id = $1 AND lease_owner = $2 AND lease_expires_at > $4 RETURNING id`,
        [id, owner, timeParam(new Date(now.getTime() + leaseMs)), timeParam(now)],
      );
      return rows.length === 1;
    },

    async complete(id, owner) {
      const rows = await db.query(
        'turns.complete',
        `DELETE FROM ${n.turns} WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [id, owner],
      );
      return rows.length === 1;
    },

    async get(id) {
      const [row] = await db.query('turns.get', `SELECT * FROM ${n.turns} WHERE id = $1`, [id]);
      return row === undefined ? null : toTurn(row);
    },
  };
}
