import type { PubSub } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { collector } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `PubSub` unsubscribing, beyond pubsub.ts: an unsubscribe called again, and one that races a
 * message still on its way. Registered only when the store declares pub/sub.
 */
export function describePubSubUnsubscribe(h: StoreHarness): void {
  function pubsubOf(): PubSub {
    const { pubsub } = h.store;
    if (pubsub === undefined) throw new Error('store.pubsub is missing');
    return pubsub;
  }

  describe('pub/sub unsubscribe', () => {
    it("a second call of one unsubscribe leaves the topic's later subscribers alone", async () => {
      const pubsub = pubsubOf();
      const gone = collector();
      const staying = collector();
      const unsubscribe = await pubsub.subscribe('thread:1', gone.handler);
      await unsubscribe();
      await pubsub.subscribe('thread:1', staying.handler);
      await unsubscribe();
      await pubsub.publish('thread:1', 'still here');
      expect(await staying.until(1)).toEqual(['still here']);
      expect(gone.messages).toEqual([]);
    });

    it('unsubscribing while a message is on its way fails nothing', async () => {
      const pubsub = pubsubOf();
      const leaving = collector();
      const probe = collector();
      const unsubscribe = await pubsub.subscribe('thread:1', leaving.handler);
      await pubsub.subscribe('thread:2', probe.handler);
      // Not awaited: the last subscriber of the topic leaves while the message travels.
      const sent = pubsub.publish('thread:1', 'in flight');
      await unsubscribe();
      await sent;
      // Once the probe has a later message, the one in flight has been handled, or dropped.
      await pubsub.publish('thread:2', 'after');
      expect(await probe.until(1)).toEqual(['after']);
      expect([[], ['in flight']]).toContainEqual(leaving.messages);
    });
  });
}
