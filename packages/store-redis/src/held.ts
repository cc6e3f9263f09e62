import type { HeldMessage, HeldMessageStore } from '@threadline/core';
import { defineScript, type Reply } from './connection';
import type { RedisContext } from './context';

/** KEYS: held, held counter. ARGV: channel, the message JSON without its order. */
const HOLD = defineScript(
  'held-hold',
  `local n = redis.call('INCR', KEYS[2])
local field = ARGV[1] .. '\\0' .. string.format('%016d', n)
redis.call('HSET', KEYS[1], field, ARGV[2])
return field`,
);

/**
 * KEYS: held. ARGV: channel. Takes every message held on the channel in one step, so each is
 * returned by exactly one of any number of concurrent releases.
 */
const RELEASE = defineScript(
  'held-release',
  `local prefix = ARGV[1] .. '\\0'
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return out`,
);

/** A held message as stored: the message with `heldAt` in milliseconds. */
export function encodeHeld(message: HeldMessage): string {
  return JSON.stringify({ ...message, heldAt: message.heldAt.getTime() });
}

/**
 * Held messages from `field, JSON` pairs, oldest first; equal times in the order they were held
 * (the ordinal in the field).
 */
export function decodeHeld(reply: Reply): HeldMessage[] {
  const pairs = Array.isArray(reply) ? reply.map(String) : [];
  const stored: Array<{ order: string; message: HeldMessage }> = [];
  for (let index = 0; index + 1 < pairs.length; index += 2) {
    const fields = JSON.parse(pairs[index + 1] ?? '{}') as Omit<HeldMessage, 'heldAt'> & {
      heldAt: number;
    };
    stored.push({
      order: (pairs[index] ?? '').split('\u0000')[1] ?? '',
      message: { ...fields, heldAt: new Date(fields.heldAt) },
    });
  }
  return stored
    .sort(
      (a, b) =>
        a.message.heldAt.getTime() - b.message.heldAt.getTime() || a.order.localeCompare(b.order),
    )
    .map(({ message }) => message);
}

/** The user's held messages, oldest first. */
export async function heldOf(ctx: RedisContext, userId: string): Promise<HeldMessage[]> {
  return decodeHeld(await ctx.conn.command('held.list', ['HGETALL', ctx.keys.held(userId)]));
}

/** Adds messages to a user's held hash (a merge moving them over). */
export async function addHeld(
  ctx: RedisContext,
  userId: string,
  messages: readonly HeldMessage[],
): Promise<void> {
  for (const message of messages) {
    await ctx.conn.run(
      'users.merge',
      HOLD,
      [ctx.keys.held(userId), `${ctx.keys.held(userId)}-seq`],
      [message.channel, encodeHeld({ ...message, userId })],
    );
  }
}

/**
 * Messages held behind a closed window: one hash per user (field `<channel>\0<order>`), in the
 * user's slot, so a release takes a channel's messages in one script.
 *
 * @example
 * ```ts
 * await store.held.hold({ userId, channel: 'whatsapp', deliveryId, heldAt: new Date() });
 * const released = await store.held.release({ userId, channel: 'whatsapp' });
 * ```
 */
export function createHeldMessageStore(ctx: RedisContext): HeldMessageStore {
  return {
    async hold(input) {
      const message: HeldMessage = {
        id: ctx.generateId(),
        ...input,
        heldAt: new Date(input.heldAt.getTime()),
      };
      await addHeld(ctx, input.userId, [message]);
      return { ...message, heldAt: new Date(message.heldAt.getTime()) };
    },

    async release({ userId, channel }) {
      const reply = await ctx.conn.run('held.release', RELEASE, [ctx.keys.held(userId)], [channel]);
      return decodeHeld(reply);
    },

    list: (userId) => heldOf(ctx, userId),
  };
}
