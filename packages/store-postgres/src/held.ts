import type { HeldMessage, HeldMessageStore } from '@threadline/core';
import type { Database } from './database';
import { type Row, timeParam, toDate, toNumber } from './rows';

/** A `held` row as a HeldMessage. */
export function toHeld(row: Row): HeldMessage {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    channel: String(row.channel),
    deliveryId: String(row.delivery_id),
    heldAt: toDate(row.held_at),
  };
}

/** Oldest first; messages held at one instant keep the order they were held in. */
function oldestFirst(rows: Row[]): HeldMessage[] {
  return rows
    .sort(
      (a, b) =>
        toDate(a.held_at).getTime() - toDate(b.held_at).getTime() ||
        toNumber(a.ord) - toNumber(b.ord),
    )
    .map(toHeld);
}

/**
 * Messages parked behind a closed session window, in `held`. `release` is one
 * `DELETE … RETURNING`: when a user's reply reaches several instances at once, each row is
 * deleted, and so returned, by exactly one of them (a second DELETE waiting on the row's lock
 * finds it gone and skips it).
 *
 * @example
 * ```ts
 * await store.held.hold({ userId, channel: 'whatsapp', deliveryId, heldAt: new Date() });
 * const due = await store.held.release({ userId, channel: 'whatsapp' }); // each one exactly once
 * ```
 */
export function createHeldMessageStore(db: Database): HeldMessageStore {
  const n = db.names;
  return {
    async hold(input) {
      const [row] = await db.query(
        'held.hold',
        `INSERT INTO ${n.held} (id, user_id, channel, delivery_id, held_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [db.generateId(), input.userId, input.channel, input.deliveryId, timeParam(input.heldAt)],
      );
      return toHeld(row as Row);
    },

    async release({ userId, channel }) {
      const rows = await db.query(
        'held.release',
        `DELETE FROM ${n.held} WHERE user_id = $1 AND channel = $2 RETURNING *`,
        [userId, channel],
      );
      return oldestFirst(rows);
    },

    async list(userId) {
      const rows = await db.query(
        'held.list',
        `SELECT * FROM ${n.held} WHERE user_id = $1 ORDER BY held_at, ord`,
        [userId],
      );
      return rows.map(toHeld);
    },
  };
}
