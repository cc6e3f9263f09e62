import type { ConsentRecord, ConsentStore } from '@threadline/core';
import type { Row } from './database';
import { date, optionalText, put, type StoreContext, text } from './rows';

export function toConsent(row: Row): ConsentRecord {
  const record: ConsentRecord = {
    channel: text(row, 'channel'),
    address: text(row, 'address'),
    status: text(row, 'status') as ConsentRecord['status'],
    at: date(row, 'at'),
  };
  put(record, 'keyword', optionalText(row, 'keyword'));
  return record;
}

/**
 * Opt-outs per (channel, address), kept when a user is erased (a suppression list must outlive
 * the data it suppresses). An older decision than the stored one changes nothing.
 */
export function createConsentStore(ctx: StoreContext): ConsentStore {
  function read(channel: string, address: string): ConsentRecord | null {
    const row = ctx.db.get('SELECT * FROM consent WHERE channel = ? AND address = ?', [
      channel,
      address,
    ]);
    return row === undefined ? null : toConsent(row);
  }

  return {
    async record(input) {
      // The upsert's WHERE keeps a newer stored decision: a late `STOP` never undoes a `START`.
      ctx.db.run(
        `INSERT INTO consent (channel, address, status, at, keyword) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel, address) DO UPDATE SET status = excluded.status, at = excluded.at,
           keyword = excluded.keyword WHERE excluded.at >= consent.at`,
        [input.channel, input.address, input.status, input.at.getTime(), input.keyword],
      );
      return read(input.channel, input.address) as ConsentRecord;
    },

    async get({ channel, address }) {
      return read(channel, address);
    },

    async isOptedOut({ channel, address }) {
      return read(channel, address)?.status === 'opted-out';
    },
  };
}
