import type { PubSub } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { collector } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `PubSub`. The caller declares whether the store has one (`runStoreConformance(…, { pubsub })`),
 * since vitest collects tests before any store exists.
 */
export function describePubSub(h: StoreHarness, declared: boolean): void {
  if (!declared) {
    describe('pub/sub (declared absent)', () => {
      it('has no store.pubsub, so the runtime falls back to in-process fan-out', () => {
        expect(h.store.pubsub).toBeUndefined();
      });
    });
    return;
  }
  function pubsubOf(): PubSub {
    const { pubsub } = h.store;
    expect(pubsub, 'the store was declared with pub/sub but has no store.pubsub').toBeDefined();
    return pubsub as PubSub;
  }

  describe('pub/sub', () => {
    it('every subscriber of a topic receives the published JSON', async () => {
      const pubsub = pubsubOf();
      const first = collector();
      const second = collector();
      await pubsub.subscribe('thread:1', first.handler);
      await pubsub.subscribe('thread:1', second.handler);
      const message = { type: 'message', text: 'hi', parts: [{ n: 1 }], seen: false, at: null };
      await pubsub.publish('thread:1', message);
      expect(await first.until(1)).toEqual([message]);
      expect(await second.until(1)).toEqual([message]);
    });

    it('messages on one topic arrive in the order they were published', async () => {
      const pubsub = pubsubOf();
      const received = collector();
      await pubsub.subscribe('thread:1', received.handler);
      for (let index = 0; index < 10; index += 1) await pubsub.publish('thread:1', index);
      expect(await received.until(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('unsubscribe stops delivery to that subscriber only', async () => {
      const pubsub = pubsubOf();
      const leaving = collector();
      const staying = collector();
      const unsubscribe = await pubsub.subscribe('thread:1', leaving.handler);
      await pubsub.subscribe('thread:1', staying.handler);
      await pubsub.publish('thread:1', 'before');
      await leaving.until(1);
      await unsubscribe();
      await pubsub.publish('thread:1', 'after');
      // Once the staying subscriber has the later message, the leaving one would have had it too.
      expect(await staying.until(2)).toEqual(['before', 'after']);
      expect(leaving.messages).toEqual(['before']);
    });

    it('topics are isolated', async () => {
      const pubsub = pubsubOf();
      const one = collector();
      const two = collector();
      await pubsub.subscribe('thread:1', one.handler);
      await pubsub.subscribe('thread:2', two.handler);
      await pubsub.publish('thread:2', { to: 2 });
      await pubsub.publish('thread:1', { to: 1 });
      await pubsub.publish('thread:2', { to: 2, last: true });
      expect(await two.until(2)).toEqual([{ to: 2 }, { to: 2, last: true }]);
      expect(await one.until(1)).toEqual([{ to: 1 }]);
    });

    it('publishing to a topic nobody listens to succeeds', async () => {
      const pubsub = pubsubOf();
      await expect(pubsub.publish('nobody-here', { ok: true })).resolves.toBeUndefined();
    });
  });
}
