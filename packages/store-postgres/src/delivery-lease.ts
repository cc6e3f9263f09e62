import { checkDuration, type DeliveryStore } from '@threadline/core';
import type { Database } from './database';
import { timeParam } from './rows';

/**
 * `deliveries.renewLease`: one conditional UPDATE on the owner's row. A concurrent `claimDue`
 * locks the row too (`FOR UPDATE SKIP LOCKED`), so either the claim sees the renewed lease or the
 * renewal sees the new owner and answers `false`.
 */
export function createDeliveryLease(db: Database): Pick<DeliveryStore, 'renewLease'> {
  const n = db.names;
  return {
    async renewLease({ id, owner, leaseMs }) {
      checkDuration(leaseMs, 'leaseMs', 'lease');
      const now = db.now();
      const rows = await db.query(
        'deliveries.renewLease',
        `UPDATE ${n.deliveries} SET lease_expires_at = $3
         WHERE id = $1 AND status = 'queued' AND lease_owner = $2 RETURNING id`,
        [id, owner, timeParam(new Date(now.getTime() + leaseMs))],
      );
      return rows.length > 0;
    },
  };
}
