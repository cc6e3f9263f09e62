import type { ConsentRecord, ConsentStore } from '@threadline/core';
import { rowsByAddress } from './address-batch';
import type { Database } from './database';
import { type Row, timeParam, toDate, withOptional } from './rows';

/** A `consent` row as a ConsentRecord. */
export function toConsent(row: Row): ConsentRecord {
  const record: ConsentRecord = {
    channel: String(row.channel),
    address: String(row.address),
    status: row.status as ConsentRecord['status'],
    at: toDate(row.at),
  };
  return withOptional(record, row, { keyword: 'keyword' });
}

/**
 * Opt-outs per channel address in `consent`; the latest decision wins by its own time (`at`), not
 * by arrival: a `START` processed late must not undo a later `STOP`. The upsert's condition
 * decides that in the database, so two instances recording at once cannot get it backwards.
 * Erasing a user leaves these rows in place.
 *
 * @example
 * ```ts
 * await store.consent.record({ channel: 'sms', address: '+447700900123', status: 'opted-out', at: new Date(), keyword: 'STOP' });
 * await store.consent.isOptedOut({ channel: 'sms', address: '+447700900123' }); // true
 * ```
 */
export function createConsentStore(db: Database): ConsentStore {
  const n = db.names;

  async function read(operation: string, channel: string, address: string) {
    const [row] = await db.query(
      operation,
      `SELECT * FROM ${n.consent} WHERE channel = $1 AND address = $2`,
      [channel, address],
    );
    return row === undefined ? null : toConsent(row);
  }

  return {
    async record(input) {
      const [row] = await db.query(
        'consent.record',
        `INSERT INTO ${n.consent} AS c (channel, address, status, at, keyword)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel, address) DO UPDATE
           SET status = excluded.status, at = excluded.at, keyword = excluded.keyword
           WHERE c.at <= excluded.at
         RETURNING *`,
        [input.channel, input.address, input.status, timeParam(input.at), input.keyword ?? null],
      );
      if (row !== undefined) return toConsent(row);
      return (await read('consent.record', input.channel, input.address)) as ConsentRecord;
    },

    get: ({ channel, address }) => read('consent.get', channel, address),

    async isOptedOut({ channel, address }) {
      return (await read('consent.isOptedOut', channel, address))?.status === 'opted-out';
    },

    async isOptedOutMany(keys) {
      // One statement for the batch: only the opted-out rows come back.
      const optedOut = await rowsByAddress(db, 'consent.isOptedOutMany', {
        table: n.consent,
        select: '1',
        where: "t.status = 'opted-out'",
        keys,
      });
      return keys.map((_, index) => optedOut.has(index));
    },
  };
}
