import type { OutboxStats } from '@threadline/core';
import { defineScript } from './connection';
import type { RedisContext } from './context';
import { OUTBOX_LUA, outboxKeys } from './delivery-records';

/**
 * KEYS: due, inflight. ARGV: base, now. Due work is what `due` holds up to now, plus leased
 * deliveries (in `inflight`, scored by lease expiry, not due time) that are still queued and whose
 * next attempt has come: claimed is not sent. Answers { count, oldest due time | false }.
 */
const OUTBOX_STATS = defineScript(
  'delivery-outbox-stats',
  `${OUTBOX_LUA}local now = tonumber(ARGV[2])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', now)
local oldest = false
local first = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, 1)
if first[2] then oldest = tonumber(first[2]) end
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local f = redis.call('HMGET', B .. 'd:' .. string.sub(m, 18), 'status', 'next')
  local at = tonumber(f[2] or '')
  if f[1] == 'queued' and at and at <= now then
    count = count + 1
    if oldest == false or at < oldest then oldest = at end
  end
end
return { count, oldest }`,
);

/**
 * `deliveries.outboxStats`: one script over the outbox's due index and its in-flight set.
 *
 * @example
 * ```ts
 * const { due, oldestDueAt } = await outboxStats(ctx);
 * ```
 */
export async function outboxStats(ctx: RedisContext): Promise<OutboxStats> {
  const base = ctx.keys.outbox;
  const reply = await ctx.conn.run('deliveries.outboxStats', OUTBOX_STATS, outboxKeys(base), [
    base,
    String(ctx.clock.now()),
  ]);
  const [due, oldest] = Array.isArray(reply) ? reply : [0, null];
  return {
    due: Number(due ?? 0),
    oldestDueAt:
      typeof oldest === 'number' || typeof oldest === 'string' ? new Date(Number(oldest)) : null,
  };
}
