import { NotFoundError, type User, ValidationError } from '@threadline/core';
import type { Database } from './database';
import type { Queryable } from './driver/driver';
import type { Names } from './names';
import { timeParam } from './rows';
import { readUser } from './users';

/**
 * Moves every entry of thread `from` into thread `into` and renumbers the whole thread 1..n in
 * time order; entries with one `at` keep a stable order: `into`'s first, then each thread's own
 * seq order. Both thread rows are locked first, so an append that races the merge waits and then
 * numbers after it (or fails on the deleted thread).
 */
async function mergeThreads(tx: Queryable, n: Names, into: string, from: string): Promise<void> {
  await tx.query(`SELECT id FROM ${n.threads} WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, [
    into,
    from,
  ]);
  // Two passes: negate every seq first, so the renumbering never collides with an existing
  // (thread_id, seq) while the primary key is checked row by row. The pending turns of these
  // entries step aside with them (their (thread_id, seq) is unique too); a turn whose entry is
  // gone keeps its place, and the runtime reports it when it cannot find the entry.
  await tx.query(
    `UPDATE ${n.turns} t SET seq = -t.seq WHERE t.thread_id IN ($1, $2) AND EXISTS (
       SELECT 1 FROM ${n.entries} e WHERE e.thread_id = t.thread_id AND e.seq = t.seq)`,
    [into, from],
  );
  await tx.query(`UPDATE ${n.entries} SET seq = -seq WHERE thread_id IN ($1, $2)`, [into, from]);
  // One ranking for both: each turn follows its entry to its new (thread_id, seq).
  await tx.query(
    `WITH ranked AS (
       SELECT thread_id, seq, row_number() OVER (
         ORDER BY at, (thread_id = $2)::int, -seq) AS new_seq
       FROM ${n.entries} WHERE thread_id IN ($1, $2)
     ), moved_turns AS (
       UPDATE ${n.turns} t SET thread_id = $1, seq = ranked.new_seq FROM ranked
       WHERE t.thread_id = ranked.thread_id AND t.seq = ranked.seq
     )
     UPDATE ${n.entries} e SET thread_id = $1, seq = ranked.new_seq FROM ranked
     WHERE e.thread_id = ranked.thread_id AND e.seq = ranked.seq`,
    [into, from],
  );
  await tx.query(
    `UPDATE ${n.threads} t SET
       last_seq = (SELECT COALESCE(max(seq), 0) FROM ${n.entries} WHERE thread_id = $1),
       created_at = LEAST(t.created_at, (SELECT created_at FROM ${n.threads} WHERE id = $2))
     WHERE t.id = $1`,
    [into, from],
  );
  // Deliveries point at the thread their entry lives in; that is now the surviving thread.
  await tx.query(`UPDATE ${n.deliveries} SET thread_id = $1 WHERE thread_id = $2`, [into, from]);
  await tx.query(`DELETE FROM ${n.threads} WHERE id = $1`, [from]);
}

/**
 * Merges user `from` into `into` (see `UserStore.merge`) in one transaction: contact points,
 * identities, deliveries, held messages and pending turns move; threads with one agent become one; `from` is
 * deleted. `into` keeps its display name (taking `from`'s if it had none) and its profile keys win.
 * Both users are locked in id order, so two merges of one pair cannot deadlock.
 */
export async function mergeUsers(
  db: Database,
  input: { into: string; from: string },
): Promise<User> {
  const n = db.names;
  if (input.into === input.from) {
    throw new ValidationError('merge', [
      { path: 'from', message: 'cannot merge a user into itself' },
    ]);
  }
  return db.transaction('users.merge', async (tx) => {
    const locked = await tx.query(
      `SELECT id FROM ${n.users} WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`,
      [input.into, input.from],
    );
    for (const id of [input.into, input.from]) {
      if (!locked.some((row) => row.id === id)) throw new NotFoundError('user', id);
    }
    const { into, from } = input;
    await tx.query(`UPDATE ${n.contacts} SET user_id = $1 WHERE user_id = $2`, [into, from]);
    await tx.query(
      `UPDATE ${n.users} u SET
         display_name = COALESCE(u.display_name, f.display_name),
         profile = f.profile || u.profile,
         updated_at = $3
       FROM ${n.users} f WHERE u.id = $1 AND f.id = $2`,
      [into, from, timeParam(db.now())],
    );
    await tx.query(`UPDATE ${n.identities} SET user_id = $1 WHERE user_id = $2`, [into, from]);
    const pairs = await tx.query<{ from_id: string; into_id: string | null }>(
      `SELECT f.id AS from_id, i.id AS into_id FROM ${n.threads} f
       LEFT JOIN ${n.threads} i ON i.user_id = $1 AND i.agent_id = f.agent_id
       WHERE f.user_id = $2`,
      [into, from],
    );
    for (const pair of pairs) {
      if (pair.into_id === null) {
        await tx.query(`UPDATE ${n.threads} SET user_id = $1 WHERE id = $2`, [into, pair.from_id]);
      } else {
        await mergeThreads(tx, n, pair.into_id, pair.from_id);
      }
    }
    await tx.query(`UPDATE ${n.deliveries} SET user_id = $1 WHERE user_id = $2`, [into, from]);
    await tx.query(`UPDATE ${n.held} SET user_id = $1 WHERE user_id = $2`, [into, from]);
    // After the threads: a turn keeps its id and lease (the instance running it keeps it).
    await tx.query(`UPDATE ${n.turns} SET user_id = $1 WHERE user_id = $2`, [into, from]);
    await tx.query(`DELETE FROM ${n.users} WHERE id = $1`, [from]);
    return (await readUser(tx, n, into)) as User;
  });
}
