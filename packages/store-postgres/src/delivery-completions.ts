import {
  type BatchOutcome,
  completedProviderIds,
  type Delivery,
  type DeliveryStore,
} from '@threadline/core';
import type { Database } from './database';
import { deliveryColumns, toDelivery } from './delivery-rows';
import { jsonParam, timeParam } from './rows';

type Completions = Required<Pick<DeliveryStore, 'completeMany'>>;

/**
 * `deliveries.completeMany`: the single `complete`'s statement for many rows at once. The rows are
 * locked in id order first, so two batches never deadlock; each row is finished only if its own
 * item's owner holds the lease; its status moves only where `can_advance_status` allows (a receipt
 * may have beaten the send's answer), with a history step exactly when it moved. Items that
 * finished nothing here (a lost lease, or the same complete again after a dropped answer) and
 * repeats of an id within the batch go through the single `complete` after it, which tells those
 * cases apart: both are rare, so the common batch is one round trip.
 *
 * @example
 * ```ts
 * const [done] = await store.deliveries.completeMany([{ id, completion: { owner, providerMessageId: 'wamid.1', status: 'accepted', at } }]);
 * ```
 */
export function createDeliveryCompletions(
  db: Database,
  complete: DeliveryStore['complete'],
): Completions {
  const n = db.names;
  const can = n.canAdvance;
  const sql = `WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i integer, id text, owner text,
        provider_message_id text, provider_message_ids text[], status text, at timestamptz)),
    old AS (
      SELECT d.id, d.status FROM ${n.deliveries} d
      WHERE d.id IN (SELECT id FROM input) ORDER BY d.id FOR UPDATE),
    done AS (
      UPDATE ${n.deliveries} t SET provider_message_id = x.provider_message_id,
        provider_message_ids = x.provider_message_ids,
        status = CASE WHEN ${can}(old.status, x.status) THEN x.status ELSE t.status END,
        lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = NULL, error = NULL,
        updated_at = $2
      FROM old JOIN input x ON x.id = old.id
      WHERE t.id = old.id AND t.lease_owner = x.owner
      RETURNING t.*, x.i AS batch_index, ${can}(old.status, x.status) AS advanced,
        x.status AS step_status, x.at AS step_at),
    recorded AS (
      INSERT INTO ${n.deliveryEvents} (delivery_id, status, at, source)
      SELECT id, step_status, step_at, 'dispatcher' FROM done WHERE advanced ORDER BY batch_index)
    SELECT ${deliveryColumns(
      n,
      `CASE WHEN d.advanced THEN jsonb_build_array(jsonb_build_object(
        'status', d.step_status, 'at', d.step_at, 'source', 'dispatcher')) ELSE '[]'::jsonb END`,
    )} FROM done d`;

  return {
    async completeMany(items) {
      const outcomes: BatchOutcome<Delivery | null>[] = new Array(items.length);
      const seen = new Set<string>();
      const batch: number[] = [];
      const rows: string[] = [];
      const alone: number[] = [];
      items.forEach(({ id, completion }, index) => {
        if (seen.has(id)) {
          alone.push(index);
          return;
        }
        seen.add(id);
        try {
          const ids = completedProviderIds(completion) ?? null;
          rows.push(
            jsonParam({
              i: batch.length,
              id,
              owner: completion.owner,
              provider_message_id: completion.providerMessageId,
              provider_message_ids: ids,
              status: completion.status,
              at: timeParam(completion.at),
            }) as string,
          );
          batch.push(index);
        } catch (error) {
          outcomes[index] = { ok: false, error: error as Error };
        }
      });
      const done =
        rows.length === 0
          ? []
          : await db.query('deliveries.completeMany', sql, [
              `[${rows.join(',')}]`,
              timeParam(db.now()),
            ]);
      const byIndex = new Map(done.map((row) => [Number(row.batch_index), toDelivery(row)]));
      batch.forEach((index, i) => {
        const delivery = byIndex.get(i);
        if (delivery === undefined) alone.push(index);
        else outcomes[index] = { ok: true, value: delivery };
      });
      // One after another, in item order: a repeated id must see the batch's own change first.
      for (const index of alone.sort((a, b) => a - b)) {
        const { id, completion } = items[index] as (typeof items)[number];
        try {
          outcomes[index] = { ok: true, value: await complete(id, completion) };
        } catch (error) {
          outcomes[index] = {
            ok: false,
            error: error instanceof Error ? error : new Error(String(error)),
          };
        }
      }
      return outcomes;
    },
  };
}
