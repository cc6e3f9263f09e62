import type { ConsentRecord, ErasureReport, PrivacyStore, UserExport } from '@threadline/core';
import { defineScript } from './connection';
import { readConsent } from './consent';
import type { RedisContext } from './context';
import { deliveriesOf, eraseDeliveries } from './delivery-owners';
import { swapName } from './directory';
import { heldOf } from './held';
import { identitiesOf } from './identity-records';
import { entriesOf, threadsOf } from './threads';
import { eraseTurns, turnsOf } from './turn-owners';
import { readUser } from './users';

/** KEYS: thread, entries. Deletes a thread; answers how many entries it had. */
const ERASE_THREAD = defineScript(
  'thread-erase',
  `local count = redis.call('LLEN', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return count`,
);

/** KEYS: every key of one user's slot. */
export const DELETE_KEYS = defineScript('user-erase', `return redis.call('DEL', unpack(KEYS))`);

/** Every key in a user's slot except the identity hashes (the caller adds those it knows). */
export function userSlotKeys(ctx: RedisContext, userId: string): string[] {
  const k = ctx.keys;
  return [
    k.user(userId),
    k.phones(userId),
    k.emails(userId),
    k.identities(userId),
    k.threadByAgent(userId),
    k.threadList(userId),
    k.held(userId),
    `${k.held(userId)}-seq`,
    // Inbound claims (provider message ids and expiries); a merge copies the live ones first.
    `${k.userBase(userId)}claims`,
  ];
}

/**
 * Export and right-to-erasure. An erasure crosses slots (the directory keys, the turns, the
 * outbox, each thread, the user's own keys), so it runs as several scripts in this order:
 * directory keys first (no lookup finds the user any more), then pending turns, deliveries,
 * threads and last the user's own keys. Stopped half-way, it can be run again: the user record
 * goes last, so it is still found.
 *
 * @example
 * ```ts
 * const report = await store.privacy.eraseUser(userId); // { identities: 2, threads: 1, entries: 14, … }
 * ```
 */
export function createPrivacyStore(ctx: RedisContext): PrivacyStore {
  return {
    async exportUser(userId) {
      const user = await readUser(ctx, userId);
      if (user === null) return null;
      const identities = await identitiesOf(ctx, userId);
      const threads = await threadsOf(ctx, userId);
      const threadIds = threads.map((thread) => thread.id);
      const consent: ConsentRecord[] = [];
      for (const identity of identities) {
        const record = await readConsent(ctx, identity);
        if (record !== null) consent.push(record);
      }
      const data: UserExport = {
        user,
        identities,
        threads: await Promise.all(
          threads.map(async (thread) => ({ thread, entries: await entriesOf(ctx, thread.id) })),
        ),
        deliveries: await deliveriesOf(ctx, userId, threadIds),
        held: await heldOf(ctx, userId),
        consent,
        pendingTurns: await turnsOf(ctx, userId, threadIds),
      };
      return data;
    },

    async eraseUser(userId) {
      const user = await readUser(ctx, userId);
      if (user === null) return null;
      const identities = await identitiesOf(ctx, userId);
      const threads = await threadsOf(ctx, userId);
      const threadIds = threads.map((thread) => thread.id);
      const held = await heldOf(ctx, userId);
      const op = 'privacy.eraseUser';
      for (const identity of identities) {
        await swapName(ctx, op, ctx.keys.address(identity.channel, identity.address), userId, null);
      }
      for (const value of user.phoneNumbers) {
        await swapName(ctx, op, ctx.keys.contact('phone', value), userId, null);
      }
      for (const value of user.emails) {
        await swapName(ctx, op, ctx.keys.contact('email', value), userId, null);
      }
      const report: ErasureReport = {
        userId,
        identities: identities.length,
        threads: threads.length,
        entries: 0,
        // Turns before threads: a turn taken over in between would find no message, not wake
        // the agent for the erased user.
        turns: await eraseTurns(ctx, userId, threadIds),
        deliveries: await eraseDeliveries(ctx, userId, threadIds),
        held: held.length,
      };
      for (const thread of threads) {
        const keys = [ctx.keys.thread(thread.id), ctx.keys.entries(thread.id)];
        report.entries += Number(await ctx.conn.run(op, ERASE_THREAD, keys, []));
      }
      const identityKeys = identities.map((identity) =>
        ctx.keys.identity(userId, identity.channel, identity.address),
      );
      await ctx.conn.run(op, DELETE_KEYS, [...identityKeys, ...userSlotKeys(ctx, userId)], []);
      return report;
    },
  };
}
