import type { HeldMessage, HeldMessageStore } from '@threadline/core';
import type { Row } from './database';
import { date, type StoreContext, text } from './rows';

function toHeld(row: Row): HeldMessage {
  return {
    id: text(row, 'id'),
    userId: text(row, 'user_id'),
    channel: text(row, 'channel'),
    deliveryId: text(row, 'delivery_id'),
    heldAt: date(row, 'held_at'),
  };
}

/** Whether anything is held for the user on the channel (for `inbound.record`'s `hasHeld`). */
export function hasHeld(ctx: StoreContext, userId: string, channel: string): boolean {
  return (
    ctx.db.get('SELECT 1 FROM held WHERE user_id = ? AND channel = ? LIMIT 1', [
      userId,
      channel,
    ]) !== undefined
  );
}

/** A user's held messages, oldest first (those held at one instant in the order they were held). */
export function listHeld(ctx: StoreContext, userId: string): HeldMessage[] {
  return ctx.db
    .all('SELECT * FROM held WHERE user_id = ? ORDER BY held_at, rowid', [userId])
    .map(toHeld);
}

/**
 * Messages parked behind a closed session window. `release` selects and deletes with no other
 * call in between, so when a reply reaches two callers at once each message goes out once.
 */
export function createHeldMessageStore(ctx: StoreContext): HeldMessageStore {
  return {
    async hold(input) {
      const message: HeldMessage = { id: ctx.newId(), ...input, heldAt: new Date(input.heldAt) };
      ctx.db.run(
        'INSERT INTO held (id, user_id, channel, delivery_id, held_at) VALUES (?, ?, ?, ?, ?)',
        [message.id, message.userId, message.channel, message.deliveryId, message.heldAt.getTime()],
      );
      return message;
    },

    async release({ userId, channel }) {
      return ctx.db.transaction(() => {
        const taken = ctx.db.all(
          'SELECT * FROM held WHERE user_id = ? AND channel = ? ORDER BY held_at, rowid',
          [userId, channel],
        );
        ctx.db.run('DELETE FROM held WHERE user_id = ? AND channel = ?', [userId, channel]);
        return taken.map(toHeld);
      });
    },

    async list(userId) {
      return listHeld(ctx, userId);
    },
  };
}
