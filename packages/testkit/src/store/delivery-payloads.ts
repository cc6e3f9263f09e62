import type { JsonObject } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * Payloads that differ only a little, created back to back: the shape of a bulk send, where a
 * store may share one stored payload among equal ones. Each pair differs in one place a shallow
 * or careless equality check would miss.
 */
const NEAR_TWINS: readonly JsonObject[] = [
  { text: 'hi', meta: { n: 1 } },
  { text: 'hi', meta: { n: 2 } },
  // A shorter value right after a longer one it is a prefix of (and the other way round), with
  // no equal value among the last few.
  { text: 'hi', meta: { n: 3, extra: true } },
  { text: 'hi', meta: { n: 3 } },
  { text: 'hi', meta: { m: 3 } },
  { text: 'hi', list: [4, 5, 6] },
  { text: 'hi', list: [4, 5] },
  { text: 'hi', list: [7, 8] },
  { text: 'hi', list: [7, 8, 9] },
  { text: 'hi', list: [7, 9] },
  { text: 'hi', list: [[1], [2]] },
  { text: 'hi', list: [[1], [3]] },
  { text: 'hi', list: [10, 11] },
  { text: 'hi', list: { '0': 10, '1': 11 } },
  { text: 'hi', list: { '0': 12, '1': 13 } },
  { text: 'hi', list: [12, 13] },
  { text: 'hi', meta: null },
  { text: 'hi', meta: {} },
  { text: 'hi', meta: [] },
  { text: 'hi', meta: '' },
  { text: 'hi', meta: 0 },
  { text: 'hi', meta: false },
  { text: 'hi', meta: null },
  { text: 'hi', meta: { n: 1 } },
];

/**
 * Delivery payloads are stored as given: each delivery keeps its own payload, however close it is
 * to the one created just before, and equal payloads stay independent of each other.
 */
export function describeDeliveryPayloads(h: StoreHarness): void {
  describe('delivery payloads', () => {
    it('deliveries created back to back keep their own payloads, however little they differ', async () => {
      const ids: string[] = [];
      for (const payload of NEAR_TWINS) {
        const { delivery } = await h.store.deliveries.create(newDelivery(h.clock, { payload }));
        expect(delivery.payload).toEqual(payload);
        ids.push(delivery.id);
      }
      const stored = await Promise.all(ids.map((id) => h.store.deliveries.get(id)));
      expect(stored.map((delivery) => delivery?.payload)).toEqual(NEAR_TWINS);
    });

    it('equal payloads stay independent: changing what one returns leaves the others', async () => {
      const payload = { text: 'bulk', meta: { tags: ['a'] } };
      const created = [];
      for (let index = 0; index < 3; index += 1) {
        created.push((await h.store.deliveries.create(newDelivery(h.clock, { payload }))).delivery);
      }
      const [first, second] = await Promise.all(
        created.slice(0, 2).map((delivery) => h.store.deliveries.get(delivery.id)),
      );
      const meta = first?.payload.meta as { tags: string[] };
      meta.tags.push('changed');
      expect(second?.payload).toEqual(payload);
      expect((await h.store.deliveries.get(created[0]?.id ?? ''))?.payload).toEqual(payload);
      payload.meta.tags.push('input changed');
      expect((await h.store.deliveries.get(created[2]?.id ?? ''))?.payload).toEqual({
        text: 'bulk',
        meta: { tags: ['a'] },
      });
    });

    it('a deeply nested payload and one with an own __proto__ key are kept as data', async () => {
      let deep: JsonObject = { leaf: 'bottom' };
      for (let level = 0; level < 100; level += 1)
        deep = { level, next: deep, list: [level, [level]] };
      // What JSON.parse makes of a webhook body: `__proto__` as an own key, not a prototype.
      const tricky = JSON.parse('{"text":"hi","__proto__":{"polluted":true}}') as JsonObject;
      const stored = [];
      for (const payload of [deep, tricky]) {
        const { delivery } = await h.store.deliveries.create(newDelivery(h.clock, { payload }));
        stored.push((await h.store.deliveries.get(delivery.id))?.payload);
      }
      expect(stored[0]).toEqual(deep);
      expect(Object.getPrototypeOf(stored[1])).toBe(Object.prototype);
      expect(stored[1]?.text).toBe('hi');
      expect(Object.getOwnPropertyDescriptor(stored[1], '__proto__')?.value).toEqual({
        polluted: true,
      });
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    });
  });
}
