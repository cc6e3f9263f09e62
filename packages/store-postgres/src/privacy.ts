import type { ErasureReport, PrivacyStore, UserExport } from '@threadline/core';
import { toConsent } from './consent';
import type { Database } from './database';
import { deliveryColumns, toDelivery } from './delivery-rows';
import type { Queryable } from './driver/driver';
import { toHeld } from './held';
import { toIdentity } from './identities';
import { toEntry, toThread } from './threads';
import { toTurn } from './turns';
import { readUser } from './users';

/** Runs a `DELETE … RETURNING` and counts the rows it removed. */
async function count(tx: Queryable, sql: string, params: unknown[]): Promise<number> {
  const [row] = await tx.query(
    `WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return Number(row?.n ?? 0);
}

/**
 * Export and right-to-erasure for one user. The export reads in one REPEATABLE READ transaction,
 * so it is one consistent snapshot even while the user keeps writing. Erasure is one transaction
 * that locks the user row first (a concurrent merge or erasure waits) and removes every identity,
 * thread, entry, delivery (with its history), held message and pending turn; consent rows stay, because a
 * suppression list has to outlive the data it suppresses.
 *
 * @example
 * ```ts
 * const data = await store.privacy.exportUser(userId); // JSON.stringify(data) for the requester
 * const report = await store.privacy.eraseUser(userId); // { identities: 2, entries: 140, … }
 * ```
 */
export function createPrivacyStore(db: Database): PrivacyStore {
  const n = db.names;
  return {
    exportUser: (userId) =>
      db.transaction('privacy.exportUser', async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const user = await readUser(tx, n, userId);
        if (user === null) return null;
        const identities = await tx.query(
          `SELECT * FROM ${n.identities} WHERE user_id = $1 ORDER BY created_at, channel, address`,
          [userId],
        );
        const threads = (
          await tx.query(`SELECT * FROM ${n.threads} WHERE user_id = $1 ORDER BY created_at, id`, [
            userId,
          ])
        ).map(toThread);
        const threadIds = threads.map((thread) => thread.id);
        const entries = (
          await tx.query(
            `SELECT * FROM ${n.entries} WHERE thread_id = ANY($1::text[]) ORDER BY thread_id, seq`,
            [threadIds],
          )
        ).map(toEntry);
        const deliveries = await tx.query(
          `SELECT ${deliveryColumns(n)} FROM ${n.deliveries} d
           WHERE d.user_id = $1 OR d.thread_id = ANY($2::text[]) ORDER BY d.created_at, d.ord`,
          [userId, threadIds],
        );
        const held = await tx.query(
          `SELECT * FROM ${n.held} WHERE user_id = $1 ORDER BY held_at, ord`,
          [userId],
        );
        const turns = await tx.query(
          `SELECT * FROM ${n.turns} WHERE user_id = $1 OR thread_id = ANY($2::text[])
           ORDER BY created_at, seq, id`,
          [userId, threadIds],
        );
        const consent = await tx.query(
          `SELECT c.* FROM ${n.consent} c
           JOIN ${n.identities} i ON i.channel = c.channel AND i.address = c.address
           WHERE i.user_id = $1 ORDER BY c.channel, c.address`,
          [userId],
        );
        const data: UserExport = {
          user,
          identities: identities.map(toIdentity),
          threads: threads.map((thread) => ({
            thread,
            entries: entries.filter((entry) => entry.threadId === thread.id),
          })),
          deliveries: deliveries.map(toDelivery),
          held: held.map(toHeld),
          consent: consent.map(toConsent),
          pendingTurns: turns.map(toTurn),
        };
        return data;
      }),

    eraseUser: (userId) =>
      db.transaction('privacy.eraseUser', async (tx) => {
        const locked = await tx.query(`SELECT id FROM ${n.users} WHERE id = $1 FOR UPDATE`, [
          userId,
        ]);
        if (locked.length === 0) return null;
        const threadIds = (
          await tx.query(`SELECT id FROM ${n.threads} WHERE user_id = $1`, [userId])
        ).map((row) => String(row.id));
        const report: ErasureReport = {
          userId,
          identities: await count(tx, `DELETE FROM ${n.identities} WHERE user_id = $1`, [userId]),
          threads: 0,
          entries: await count(tx, `DELETE FROM ${n.entries} WHERE thread_id = ANY($1::text[])`, [
            threadIds,
          ]),
          deliveries: 0,
          held: 0,
          // The user's turns and those of the user's messages: one left behind would wake the
          // agent for the erased user, at the erased address. (No index on user_id: the table
          // holds only turns in flight, a few rows.)
          turns: await count(
            tx,
            `DELETE FROM ${n.turns} WHERE user_id = $1 OR thread_id = ANY($2::text[])`,
            [userId, threadIds],
          ),
        };
        // Deliveries for the user and those recorded in the user's threads; their history goes
        // with them (ON DELETE CASCADE), and so do messages held on them.
        const erased = (
          await tx.query(
            `DELETE FROM ${n.deliveries} WHERE user_id = $1 OR thread_id = ANY($2::text[]) RETURNING id`,
            [userId, threadIds],
          )
        ).map((row) => String(row.id));
        report.deliveries = erased.length;
        report.held = await count(
          tx,
          `DELETE FROM ${n.held} WHERE user_id = $1 OR delivery_id = ANY($2::text[])`,
          [userId, erased],
        );
        report.threads = await count(tx, `DELETE FROM ${n.threads} WHERE user_id = $1`, [userId]);
        // Contact points go with the user (ON DELETE CASCADE); consent rows stay.
        await tx.query(`DELETE FROM ${n.users} WHERE id = $1`, [userId]);
        return report;
      }),
  };
}
