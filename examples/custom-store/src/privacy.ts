import type { Delivery, ErasureReport, PrivacyStore, UserExport } from '@threadline/core';
import { toConsent } from './consent';
import type { Row } from './database';
import { readDelivery } from './delivery-rows';
import { listHeld } from './held';
import { type StoreContext, toEntry, toIdentity, toThread } from './rows';
import { readUser } from './users';

// The user's deliveries: addressed to them, or recorded in one of their threads.
const USER_DELIVERY_IDS = `SELECT id FROM deliveries WHERE user_id = ?1
  OR thread_id IN (SELECT id FROM threads WHERE user_id = ?1)`;

/**
 * Export and right-to-erasure for one user. Erasure deletes every identity, thread, entry,
 * delivery and held message in one transaction; consent records stay, because a suppression
 * list has to outlive the data it suppresses.
 */
export function createPrivacyStore(ctx: StoreContext): PrivacyStore {
  return {
    async exportUser(userId) {
      const user = readUser(ctx, userId);
      if (user === null) return null;
      const identities = ctx.db
        .all('SELECT * FROM identities WHERE user_id = ? ORDER BY rowid', [userId])
        .map(toIdentity);
      const threads = ctx.db
        .all('SELECT * FROM threads WHERE user_id = ? ORDER BY rowid', [userId])
        .map(toThread);
      const data: UserExport = {
        user,
        identities,
        threads: threads.map((thread) => ({
          thread,
          entries: ctx.db
            .all('SELECT * FROM entries WHERE thread_id = ? ORDER BY seq', [thread.id])
            .map(toEntry),
        })),
        deliveries: ctx.db
          .all(`${USER_DELIVERY_IDS} ORDER BY rowid`, [userId])
          .map((row: Row) => readDelivery(ctx, row.id as string) as Delivery),
        held: listHeld(ctx, userId),
        consent: identities.flatMap((identity) => {
          const row = ctx.db.get('SELECT * FROM consent WHERE channel = ? AND address = ?', [
            identity.channel,
            identity.address,
          ]);
          return row === undefined ? [] : [toConsent(row)];
        }),
      };
      return data;
    },

    async eraseUser(userId) {
      if (readUser(ctx, userId) === null) return null;
      return ctx.db.transaction(() => {
        const deliveryIds = ctx.db
          .all(`${USER_DELIVERY_IDS} ORDER BY rowid`, [userId])
          .map((row) => row.id as string);
        const report: ErasureReport = {
          userId,
          identities: ctx.db.run('DELETE FROM identities WHERE user_id = ?', [userId]),
          threads: 0,
          entries: ctx.db.run(
            'DELETE FROM entries WHERE thread_id IN (SELECT id FROM threads WHERE user_id = ?)',
            [userId],
          ),
          deliveries: 0,
          // Held messages of the user, and any that wait for one of the deliveries erased here.
          held: ctx.db.run(
            `DELETE FROM held WHERE user_id = ?1 OR delivery_id IN (${USER_DELIVERY_IDS})`,
            [userId],
          ),
        };
        report.threads = ctx.db.run('DELETE FROM threads WHERE user_id = ?', [userId]);
        for (const id of deliveryIds) {
          ctx.db.run('DELETE FROM provider_ids WHERE delivery_id = ?', [id]);
          report.deliveries += ctx.db.run('DELETE FROM deliveries WHERE id = ?', [id]);
        }
        ctx.db.run('DELETE FROM contacts WHERE user_id = ?', [userId]);
        ctx.db.run('DELETE FROM users WHERE id = ?', [userId]);
        return report;
      });
    },
  };
}
