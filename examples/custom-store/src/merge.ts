import { type Thread, type User, ValidationError } from '@threadline/core';
import type { Row } from './database';
import { type StoreContext, toEntry, toThread } from './rows';
import { insertEntry } from './threads';
import { requireUser } from './users';

/**
 * Moves `from`'s entries into `into` and renumbers them 1..n in time order. Entries with one `at`
 * keep a stable order: the surviving thread's first, then each thread's own seq order.
 */
function mergeThreads(ctx: StoreContext, into: Thread, from: Thread): void {
  const read = (thread: Thread, rank: number) =>
    ctx.db
      .all('SELECT * FROM entries WHERE thread_id = ? ORDER BY seq', [thread.id])
      .map((row: Row) => ({ entry: toEntry(row), rank }));
  const tagged = [...read(into, 0), ...read(from, 1)];
  tagged.sort(
    (a, b) =>
      a.entry.at.getTime() - b.entry.at.getTime() || a.rank - b.rank || a.entry.seq - b.entry.seq,
  );
  ctx.db.run('DELETE FROM entries WHERE thread_id IN (?, ?)', [into.id, from.id]);
  for (const [index, { entry }] of tagged.entries()) insertEntry(ctx, into.id, index + 1, entry);
  if (from.createdAt < into.createdAt) {
    ctx.db.run('UPDATE threads SET created_at = ? WHERE id = ?', [
      from.createdAt.getTime(),
      into.id,
    ]);
  }
  // Deliveries point at the thread their entry lives in; that is now the surviving thread.
  ctx.db.run('UPDATE deliveries SET thread_id = ? WHERE thread_id = ?', [into.id, from.id]);
  ctx.db.run('DELETE FROM threads WHERE id = ?', [from.id]);
}

/**
 * Merges user `from` into `into` (see `UserStore.merge`): contact points, identities, deliveries
 * and held messages move; threads with one agent become one; `from` is deleted. `into` keeps its
 * display name (taking `from`'s if it had none) and its profile keys win over `from`'s. Runs
 * inside the caller's transaction: a failure half-way leaves both users as they were.
 */
export function mergeUsers(ctx: StoreContext, input: { into: string; from: string }): User {
  if (input.into === input.from) {
    throw new ValidationError('merge', [
      { path: 'from', message: 'cannot merge a user into itself' },
    ]);
  }
  const into = requireUser(ctx, input.into);
  const from = requireUser(ctx, input.from);

  // `from`'s contact points go after `into`'s, in their own order.
  for (const row of ctx.db.all(
    'SELECT kind, value FROM contacts WHERE user_id = ? ORDER BY position',
    [from.id],
  )) {
    ctx.db.run(
      `UPDATE contacts SET user_id = ?,
         position = (SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE user_id = ?)
       WHERE kind = ? AND value = ?`,
      [into.id, into.id, row.kind as string, row.value as string],
    );
  }
  ctx.db.run('UPDATE users SET display_name = ?, profile = ?, updated_at = ? WHERE id = ?', [
    into.displayName ?? from.displayName,
    JSON.stringify({ ...from.profile, ...into.profile }),
    ctx.clock.now(),
    into.id,
  ]);
  ctx.db.run('UPDATE identities SET user_id = ? WHERE user_id = ?', [into.id, from.id]);
  for (const row of ctx.db.all('SELECT * FROM threads WHERE user_id = ? ORDER BY rowid', [
    from.id,
  ])) {
    const thread = toThread(row);
    const target = ctx.db.get('SELECT * FROM threads WHERE user_id = ? AND agent_id = ?', [
      into.id,
      thread.agentId,
    ]);
    if (target === undefined) {
      ctx.db.run('UPDATE threads SET user_id = ? WHERE id = ?', [into.id, thread.id]);
    } else {
      mergeThreads(ctx, toThread(target), thread);
    }
  }
  ctx.db.run('UPDATE deliveries SET user_id = ? WHERE user_id = ?', [into.id, from.id]);
  ctx.db.run('UPDATE held SET user_id = ? WHERE user_id = ?', [into.id, from.id]);
  ctx.db.run('DELETE FROM users WHERE id = ?', [from.id]);
  return requireUser(ctx, into.id);
}
