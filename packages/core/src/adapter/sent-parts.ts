import { REMEMBERED_MAX, rememberBounded } from './http';

/**
 * The provider ids of the parts already sent per delivery, so that a retry after a partial send
 * (part 2 of 3 failed) resumes after them instead of sending part 1 again. Bounded: it helps a
 * retry in the same process and must not grow without bound.
 */
export interface SentParts {
  /**
   * Runs `send` with the ids already sent for `deliveryId` (empty on a first attempt); `send`
   * sends the parts after `ids.length` and pushes each new id. When `send` throws, the ids sent
   * so far are kept for the retry; when it returns, they are forgotten and returned.
   */
  resume(deliveryId: string, send: (ids: string[]) => Promise<void>): Promise<string[]>;
}

/**
 * Creates the sent-parts memory of one adapter.
 *
 * @example
 * ```ts
 * const sentParts = createSentParts();
 * const ids = await sentParts.resume(envelope.deliveryId, async (ids) => {
 *   for (const message of messages.slice(ids.length)) ids.push(await client.send(message));
 * });
 * ```
 */
export function createSentParts(limit: number = REMEMBERED_MAX): SentParts {
  const byDelivery = new Map<string, string[]>();
  return {
    async resume(deliveryId, send) {
      const ids = [...(byDelivery.get(deliveryId) ?? [])];
      try {
        await send(ids);
      } catch (error) {
        if (ids.length > 0) rememberBounded(byDelivery, deliveryId, ids, limit);
        throw error;
      }
      byDelivery.delete(deliveryId);
      return ids;
    },
  };
}
