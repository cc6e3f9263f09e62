import type { Delivery, NewDelivery } from '@threadline/core';
import { type StoreContext, toDelivery, toJson } from './rows';

/** The stored delivery, or `null`. */
export function readDelivery(ctx: StoreContext, id: string): Delivery | null {
  const row = ctx.db.get('SELECT * FROM deliveries WHERE id = ?', [id]);
  return row === undefined ? null : toDelivery(row);
}

/** Inserts a new `queued` delivery whose history starts with that step; returns it. */
export function insertDelivery(ctx: StoreContext, input: NewDelivery): Delivery {
  const id = ctx.newId();
  const now = ctx.clock.now();
  // Created already claimed: the creator's own first attempt counts like a claimDue one.
  const lease = input.lease;
  ctx.db.run(
    `INSERT INTO deliveries (id, channel, adapter_id, recipient, payload, origin, agent_id,
       user_id, thread_id, idempotency_key, template_name, status, attempts, next_attempt_at,
       lease_owner, lease_expires_at, events, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      input.channel,
      input.adapterId,
      input.recipient,
      JSON.stringify(input.payload),
      input.origin,
      input.agentId,
      input.userId,
      input.threadId,
      input.idempotencyKey,
      input.templateName,
      lease === undefined ? 0 : 1,
      input.nextAttemptAt?.getTime() ?? null,
      lease?.owner,
      lease === undefined ? undefined : now + lease.ms,
      toJson([{ status: 'queued', at: new Date(now), source: 'dispatcher' }]),
      now,
      now,
    ],
  );
  return readDelivery(ctx, id) as Delivery;
}

/**
 * Indexes every provider id of a completed delivery under its adapter (each part of a split
 * message), replacing the ids an earlier attempt recorded. An id another delivery took later
 * points at that one.
 */
export function setProviderIds(ctx: StoreContext, delivery: Delivery): void {
  ctx.db.run('DELETE FROM provider_ids WHERE delivery_id = ?', [delivery.id]);
  const ids = delivery.providerMessageIds ?? [delivery.providerMessageId as string];
  for (const providerMessageId of ids) {
    ctx.db.run(
      `INSERT OR REPLACE INTO provider_ids (adapter_id, provider_message_id, delivery_id)
       VALUES (?, ?, ?)`,
      [delivery.adapterId, providerMessageId, delivery.id],
    );
  }
}
