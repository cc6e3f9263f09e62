import type { Delivery, DeliveryEvent } from '@threadline/core';
import type { Queryable } from './driver/driver';
import type { Names } from './names';
import { type Row, toDate, toDateOrNull, toNumber, withOptional } from './rows';

/**
 * The columns of a delivery with its history, from a relation aliased `d` (the table, or a CTE
 * of changed rows). The events come from `delivery_events` in one correlated subquery, oldest
 * first, so a delivery is always read in one round trip. `appended` (a jsonb array expression)
 * adds events the same statement inserts, which its own subquery cannot see yet.
 */
export function deliveryColumns(n: Names, appended?: string): string {
  return `d.*, COALESCE((
      SELECT jsonb_agg(jsonb_build_object(
        'status', e.status, 'at', e.at, 'source', e.source, 'detail', e.detail) ORDER BY e.ord)
      FROM ${n.deliveryEvents} e WHERE e.delivery_id = d.id
    ), '[]'::jsonb)${appended === undefined ? '' : ` || ${appended}`} AS events`;
}

function toEvent(raw: Record<string, unknown>): DeliveryEvent {
  const event: DeliveryEvent = {
    status: raw.status as DeliveryEvent['status'],
    // jsonb renders a timestamptz as ISO 8601 with an offset: Date parses it exactly.
    at: toDate(raw.at),
    source: raw.source as DeliveryEvent['source'],
  };
  return withOptional(event, raw, { detail: 'detail' });
}

/** A row of {@link deliveryColumns} as a Delivery. */
export function toDelivery(row: Row): Delivery {
  const delivery: Delivery = {
    id: String(row.id),
    channel: String(row.channel),
    adapterId: String(row.adapter_id),
    recipient: String(row.recipient),
    payload: row.payload as Delivery['payload'],
    origin: row.origin as Delivery['origin'],
    status: row.status as Delivery['status'],
    attempts: toNumber(row.attempts),
    nextAttemptAt: toDateOrNull(row.next_attempt_at),
    lease:
      row.lease_owner === null
        ? null
        : { owner: String(row.lease_owner), expiresAt: toDate(row.lease_expires_at) },
    events: (row.events as Array<Record<string, unknown>>).map(toEvent),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
  return withOptional(delivery, row, {
    agent_id: 'agentId',
    user_id: 'userId',
    thread_id: 'threadId',
    idempotency_key: 'idempotencyKey',
    template_name: 'templateName',
    provider_message_id: 'providerMessageId',
    provider_message_ids: 'providerMessageIds',
    error: 'error',
    pricing: 'pricing',
  });
}

/** The delivery with `id`, or `null`. */
export async function readDelivery(q: Queryable, n: Names, id: string): Promise<Delivery | null> {
  const [row] = await q.query(
    `SELECT ${deliveryColumns(n)} FROM ${n.deliveries} d WHERE d.id = $1`,
    [id],
  );
  return row === undefined ? null : toDelivery(row);
}
