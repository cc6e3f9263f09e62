import type { AddressKey, ConsentRecord, ConsentStore } from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, setIf, toDate, toRecord } from './context';

/** KEYS: consent. ARGV: channel, address, status, at, keyword (''). Older decisions change nothing. */
const RECORD = defineScript(
  'consent-record',
  `local at = redis.call('HGET', KEYS[1], 'at')
if at and tonumber(ARGV[4]) < tonumber(at) then return redis.call('HGETALL', KEYS[1]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'channel', ARGV[1], 'address', ARGV[2], 'status', ARGV[3], 'at', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'keyword', ARGV[5]) end
return redis.call('HGETALL', KEYS[1])`,
);

/** A consent hash as a ConsentRecord. */
export function toConsent(reply: Reply): ConsentRecord | null {
  const record = toRecord(reply);
  if (record === null) return null;
  const consent: ConsentRecord = {
    channel: record.channel ?? '',
    address: record.address ?? '',
    status: record.status as ConsentRecord['status'],
    at: toDate(record.at ?? '0'),
  };
  setIf(consent, 'keyword', record.keyword);
  return consent;
}

/** The consent record of an address, or `null`. */
export async function readConsent(
  ctx: RedisContext,
  key: AddressKey,
): Promise<ConsentRecord | null> {
  return toConsent(
    await ctx.conn.command('consent.get', ['HGETALL', ctx.keys.consent(key.channel, key.address)]),
  );
}

/**
 * Opt-outs per (channel, address): one hash per address, outside every user's slot, so erasing a
 * user leaves the suppression list as it is.
 *
 * @example
 * ```ts
 * await store.consent.record({ channel: 'sms', address: '+447700900123', status: 'opted-out', at: new Date(), keyword: 'STOP' });
 * ```
 */
export function createConsentStore(ctx: RedisContext): ConsentStore {
  return {
    async record(input) {
      const reply = await ctx.conn.run(
        'consent.record',
        RECORD,
        [ctx.keys.consent(input.channel, input.address)],
        [
          input.channel,
          input.address,
          input.status,
          String(input.at.getTime()),
          input.keyword ?? '',
        ],
      );
      return toConsent(reply) as ConsentRecord;
    },

    get: (key) => readConsent(ctx, key),

    async isOptedOut(key) {
      return (await readConsent(ctx, key))?.status === 'opted-out';
    },
  };
}
