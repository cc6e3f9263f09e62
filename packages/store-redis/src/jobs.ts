import {
  checkCount,
  checkDuration,
  type JobRecord,
  type JobStore,
  type JsonObject,
  type JsonValue,
} from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { type RedisContext, toDate, toRecord } from './context';

// Jobs live under the `{j}` hash tag (ARGV[1] is its key prefix): `job:<id>` hashes, `all`
// (creation order) and `due` (next run time; members `<ordinal>:<id>` keep creation order for
// equal times). A job's lease is two fields of its hash, checked when it is claimed.
const JOBS_LUA = `local B = ARGV[1]
local function read(id)
  local h = redis.call('HGETALL', B .. 'job:' .. id)
  if #h == 0 then return false end
  return h
end
`;

/** ARGV: base, id, handler, schedule, scheduleKey, data, next run (''), now. */
const DEFINE = defineScript(
  'job-define',
  `${JOBS_LUA}local k = B .. 'job:' .. ARGV[2]
local m = redis.call('HGET', k, 'm')
if m and redis.call('HGET', k, 'key') == ARGV[5] then return read(ARGV[2]) end
if not m then
  m = string.format('%016d', redis.call('INCR', B .. 'seq')) .. ':' .. ARGV[2]
  redis.call('HSET', k, 'id', ARGV[2], 'm', m, 'failures', 0, 'created', ARGV[8])
  redis.call('ZADD', KEYS[2], tonumber(string.sub(m, 1, 16)), ARGV[2])
end
redis.call('HSET', k, 'handler', ARGV[3], 'schedule', ARGV[4], 'key', ARGV[5], 'data', ARGV[6], 'next', ARGV[7], 'updated', ARGV[8])
if ARGV[7] ~= '' then redis.call('ZADD', KEYS[1], ARGV[7], m) else redis.call('ZREM', KEYS[1], m) end
return read(ARGV[2])`,
);

/** ARGV: base, now, owner, lease ms, limit. Due jobs whose lease is absent or expired, oldest due first. */
const CLAIM_DUE = defineScript(
  'job-claim-due',
  `${JOBS_LUA}local now = tonumber(ARGV[2])
local out = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  if #out >= tonumber(ARGV[5]) then break end
  local k = B .. 'job:' .. string.sub(m, 18)
  local expires = redis.call('HGET', k, 'le')
  if not expires or tonumber(expires) <= now then
    redis.call('HSET', k, 'lo', ARGV[3], 'le', now + tonumber(ARGV[4]), 'updated', now)
    out[#out + 1] = redis.call('HGETALL', k)
  end
end
return out`,
);

/** ARGV: base, id, owner, ranAt, next run (''), error (''), now. 0 unless `owner` holds the lease. */
const COMPLETE = defineScript(
  'job-complete',
  `${JOBS_LUA}local k = B .. 'job:' .. ARGV[2]
if redis.call('HGET', k, 'lo') ~= ARGV[3] then return 0 end
local m = redis.call('HGET', k, 'm')
redis.call('HSET', k, 'last', ARGV[4], 'next', ARGV[5], 'updated', ARGV[7])
if ARGV[6] == '' then
  redis.call('HDEL', k, 'err')
  redis.call('HSET', k, 'failures', 0)
else
  redis.call('HSET', k, 'err', ARGV[6])
  redis.call('HINCRBY', k, 'failures', 1)
end
redis.call('HDEL', k, 'lo', 'le')
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[1], ARGV[5], m) else redis.call('ZREM', KEYS[1], m) end
return 1`,
);

/** ARGV: base, id. */
const DELETE = defineScript(
  'job-delete',
  `${JOBS_LUA}local k = B .. 'job:' .. ARGV[2]
local m = redis.call('HGET', k, 'm')
if not m then return 0 end
redis.call('DEL', k)
redis.call('ZREM', KEYS[1], m)
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`,
);

/** ARGV: base, id ('' for every job, in creation order). */
const READ = defineScript(
  'job-read',
  `${JOBS_LUA}if ARGV[2] ~= '' then return read(ARGV[2]) end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do out[#out + 1] = read(id) end
return out`,
);

/** A job hash as a JobRecord, or `null`. */
function toJob(reply: Reply): JobRecord | null {
  const record = toRecord(reply);
  if (record === null) return null;
  const job: JobRecord = {
    id: record.id ?? '',
    handler: record.handler ?? '',
    schedule: JSON.parse(record.schedule ?? '{}') as JsonObject,
    scheduleKey: record.key ?? '',
    data: JSON.parse(record.data ?? 'null') as JsonValue,
    nextRunAt: record.next === undefined || record.next === '' ? null : toDate(record.next),
    failures: Number(record.failures ?? 0),
    lease:
      record.lo === undefined ? null : { owner: record.lo, expiresAt: toDate(record.le ?? '0') },
    createdAt: toDate(record.created ?? '0'),
    updatedAt: toDate(record.updated ?? '0'),
  };
  if (record.last !== undefined) job.lastRunAt = toDate(record.last);
  if (record.err !== undefined) job.lastError = record.err;
  return job;
}

function toJobs(reply: Reply): JobRecord[] {
  return (Array.isArray(reply) ? reply : [])
    .map(toJob)
    .filter((job): job is JobRecord => job !== null);
}

/**
 * Durable job schedules under the `{j}` hash tag: a claim looks at every due job in one script,
 * so a tick runs once across instances.
 *
 * @example
 * ```ts
 * await store.jobs.define({ id: 'digest', handler: 'digest', schedule: { type: 'cron', expression: '0 9 * * *' },
 *   scheduleKey: 'cron:0 9 * * *', nextRunAt: new Date('2026-12-03T09:00:00Z') });
 * ```
 */
export function createJobStore(ctx: RedisContext): JobStore {
  const base = ctx.keys.jobs;
  const keys = [`${base}due`, `${base}all`];
  const now = () => String(ctx.clock.now());

  return {
    async define(input) {
      const reply = await ctx.conn.run('jobs.define', DEFINE, keys, [
        base,
        input.id,
        input.handler,
        JSON.stringify(input.schedule),
        input.scheduleKey,
        JSON.stringify(input.data ?? null),
        input.nextRunAt === null ? '' : String(input.nextRunAt.getTime()),
        now(),
      ]);
      return toJob(reply) as JobRecord;
    },

    async get(id) {
      return toJob(await ctx.conn.run('jobs.get', READ, keys, [base, id]));
    },

    async list() {
      return toJobs(await ctx.conn.run('jobs.list', READ, keys, [base, '']));
    },

    async delete(id) {
      return (await ctx.conn.run('jobs.delete', DELETE, keys, [base, id])) === 1;
    },

    async claimDue({ owner, limit, leaseMs }) {
      checkCount(limit, 'limit', 'job claim');
      checkDuration(leaseMs, 'leaseMs');
      const reply = await ctx.conn.run('jobs.claimDue', CLAIM_DUE, keys, [
        base,
        now(),
        owner,
        String(Math.ceil(leaseMs)),
        String(limit),
      ]);
      return toJobs(reply);
    },

    async complete(id, { owner, ranAt, nextRunAt, error }) {
      const reply = await ctx.conn.run('jobs.complete', COMPLETE, keys, [
        base,
        id,
        owner,
        String(ranAt.getTime()),
        nextRunAt === null ? '' : String(nextRunAt.getTime()),
        error ?? '',
        now(),
      ]);
      return reply === 1;
    },
  };
}
