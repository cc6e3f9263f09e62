import {
  canAdvanceStatus,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryEvent,
  type DeliveryFailure,
  type DeliveryStatus,
  isTerminalStatus,
  type JsonObject,
  type NewDelivery,
} from '@threadline/core';
import type { Reply } from './connection';
import { setIf, toDate, toRecord, toStrings } from './context';

/**
 * Lua shared by the outbox scripts. ARGV[1] is always the outbox slot's key prefix (`…{o}:`);
 * every key a script touches starts with it, so all of them hash to the one `{o}` slot.
 *
 * - `d:<id>` hash: the delivery's fields (with `owe`, the thread entry JSON it owes until its
 *   holder's next step: see `delivery-entries.ts`); `ev:<id>` list: its history (JSON, oldest first);
 * - `due` zset: queued, unleased deliveries by next attempt time;
 * - `inflight` zset: leased deliveries by lease expiry;
 * - members of both are `<creation ordinal>:<id>`, so equal times keep creation order;
 * - `all` and `user:<userId>` zsets by creation ordinal, `thread:<threadId>` sets;
 * - `idem` hash: idempotency key → id; `pmid` hash: `adapterId\\0providerId` → id;
 *   `unindex` drops a delivery's entries there, but only those still pointing at it.
 */
export const OUTBOX_LUA = `local B = ARGV[1]
local function read(id)
  local h = redis.call('HGETALL', B .. 'd:' .. id)
  if #h == 0 then return false end
  return { h, redis.call('LRANGE', B .. 'ev:' .. id, 0, -1) }
end
local function unqueue(m)
  redis.call('ZREM', B .. 'due', m)
  redis.call('ZREM', B .. 'inflight', m)
end
local function allowed(status, from)
  return status ~= false and string.find(',' .. from .. ',', ',' .. status .. ',', 1, true) ~= nil
end
local function unindex(id, adapter, pmid, pmids, sep)
  local ids = {}
  if pmids then ids = cjson.decode(pmids) elseif pmid then ids = { pmid } end
  for _, p in ipairs(ids) do
    local field = adapter .. sep .. p
    if redis.call('HGET', B .. 'pmid', field) == id then redis.call('HDEL', B .. 'pmid', field) end
  end
end
`;

/** The separator of an adapter id and a provider id in the `pmid` index. */
export const PROVIDER_ID_SEPARATOR = '\u0000';

/** The declared key of every outbox script (the others derive from ARGV[1], in the same slot). */
export function outboxKeys(base: string): string[] {
  return [`${base}due`, `${base}inflight`];
}

/**
 * The statuses a delivery may be in to move to `next`, from core's `canAdvanceStatus`: scripts
 * receive this list rather than a copy of the order, so the one rule stays in core.
 *
 * @example
 * ```ts
 * allowedFrom('sent'); // 'queued,accepted'
 * ```
 */
export function allowedFrom(next: DeliveryStatus): string {
  return DELIVERY_STATUSES.filter((current) => canAdvanceStatus(current, next)).join(',');
}

/** The statuses an explicit retry leaves (`failed`, `expired`), from core's `isTerminalStatus`. */
export const TERMINAL_STATUSES = DELIVERY_STATUSES.filter(isTerminalStatus).join(',');

/** The fields of a delivery that never change after `create`, stored as one JSON document. */
export function encodeDocument(input: NewDelivery): string {
  const doc: JsonObject = {
    channel: input.channel,
    adapterId: input.adapterId,
    recipient: input.recipient,
    payload: input.payload,
    origin: input.origin,
  };
  if (input.agentId !== undefined) doc.agentId = input.agentId;
  if (input.templateName !== undefined) doc.templateName = input.templateName;
  if (input.idempotencyKey !== undefined) doc.idempotencyKey = input.idempotencyKey;
  return JSON.stringify(doc);
}

/** A history step as stored. */
export function encodeEvent(event: DeliveryEvent): string {
  return JSON.stringify({ ...event, at: event.at.getTime() });
}

/** A failure as stored (opaque to the scripts). */
export function encodeFailure(error: DeliveryFailure | undefined): string {
  return error === undefined ? '' : JSON.stringify(error);
}

/** A delivery script's reply (`{ hash, events }`) as a Delivery, or `null`. */
export function toDelivery(reply: Reply): Delivery | null {
  if (!Array.isArray(reply)) return null;
  const record = toRecord(reply[0] ?? null);
  if (record === null) return null;
  const doc = JSON.parse(record.doc ?? '{}') as Omit<NewDelivery, 'nextAttemptAt' | 'lease'>;
  const events = toStrings(reply[1] ?? null).map((stored) => {
    const event = JSON.parse(stored) as Omit<DeliveryEvent, 'at'> & { at: number };
    return { ...event, at: new Date(event.at) };
  });
  const delivery: Delivery = {
    ...doc,
    id: record.d ?? '',
    status: record.status as DeliveryStatus,
    attempts: Number(record.attempts ?? 0),
    nextAttemptAt: record.next === undefined || record.next === '' ? null : toDate(record.next),
    lease:
      record.lo === undefined ? null : { owner: record.lo, expiresAt: toDate(record.le ?? '0') },
    events,
    createdAt: toDate(record.created ?? '0'),
    updatedAt: toDate(record.updated ?? '0'),
  };
  setIf(delivery, 'userId', record.user);
  setIf(delivery, 'threadId', record.thread);
  setIf(delivery, 'providerMessageId', record.pmid);
  if (record.pmids !== undefined)
    delivery.providerMessageIds = JSON.parse(record.pmids) as string[];
  if (record.error !== undefined) delivery.error = JSON.parse(record.error) as DeliveryFailure;
  if (record.pricing !== undefined) delivery.pricing = JSON.parse(record.pricing) as JsonObject;
  return delivery;
}

/** A list reply of delivery replies as Deliveries. */
export function toDeliveries(reply: Reply): Delivery[] {
  return (Array.isArray(reply) ? reply : [])
    .map(toDelivery)
    .filter((delivery): delivery is Delivery => delivery !== null);
}
