import { completedProviderIds, type DeliveryCompletion } from '@threadline/core';
import { defineBatchScripts } from './batch-scripts';
import { allowedFrom, encodeEvent, OUTBOX_LUA, PROVIDER_ID_SEPARATOR } from './delivery-records';

/**
 * A (ARGV for one): base, id, owner, provider id, provider ids JSON (''), status, statuses it may move from,
 * event, now, separator, then every provider id to index. nil unless `owner` holds the lease;
 * the delivery as it is when the same complete already happened (no lease, not queued, same id).
 * Like every step of the lease holder, it drops `owe`: the holder was handed the delivery, so its
 * thread entry is written (see `delivery-entries.ts`).
 */
export const COMPLETE = defineBatchScripts({
  name: 'delivery-complete',
  prelude: OUTBOX_LUA,
  shared: 1,
  body: `local id = A[2]
local k = B .. 'd:' .. id
local f = redis.call('HMGET', k, 'lo', 'status', 'adapter', 'pmid', 'pmids', 'm')
if not f[1] and f[2] and f[2] ~= 'queued' and f[4] == A[4] then return read(id) end
if f[1] ~= A[3] then return false end
unindex(id, f[3], f[4], f[5], A[10])
redis.call('HSET', k, 'pmid', A[4])
if A[5] ~= '' then redis.call('HSET', k, 'pmids', A[5]) else redis.call('HDEL', k, 'pmids') end
for i = 11, #A do redis.call('HSET', B .. 'pmid', f[3] .. A[10] .. A[i], id) end
if allowed(f[2], A[7]) then
  redis.call('HSET', k, 'status', A[6])
  redis.call('RPUSH', B .. 'ev:' .. id, A[8])
end
redis.call('HDEL', k, 'lo', 'le', 'error', 'owe')
redis.call('HSET', k, 'next', '', 'updated', A[9])
unqueue(f[6])
return read(id)`,
});

/**
 * The complete script's arguments after the base. Throws a `ValidationError` for a
 * `providerMessageIds` entry that is not a non-empty string (`completedProviderIds`).
 */
export function completeArguments(id: string, input: DeliveryCompletion, now: string): string[] {
  const ids = completedProviderIds(input);
  return [
    id,
    input.owner,
    input.providerMessageId,
    ids === undefined ? '' : JSON.stringify(ids),
    input.status,
    allowedFrom(input.status),
    encodeEvent({ status: input.status, at: input.at, source: 'dispatcher' }),
    now,
    PROVIDER_ID_SEPARATOR,
    ...(ids ?? [input.providerMessageId]),
  ];
}
