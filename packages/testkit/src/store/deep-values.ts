import type { JsonObject } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { inbound, newDelivery } from './fixtures';
import type { StoreHarness } from './harness';

/** JSON nested `levels` deep, with every kind of JSON value (empty ones included) at each level. */
function nested(levels: number): JsonObject {
  let value: JsonObject = { leaf: 'bottom', none: null };
  for (let level = 0; level < levels; level += 1) {
    value = { level, next: value, items: [level, null, true, 'x', [], {}], empty: [] };
  }
  return value;
}

/**
 * Values are plain JSON however deep (a webhook body a hundred levels deep is still a payload to
 * keep), and the record around such a value comes back whole: its Dates as Dates.
 */
export function describeDeepValues(h: StoreHarness): void {
  describe('deeply nested values', () => {
    it('a profile, entry metadata and payload nested 100 levels deep round-trip with their records', async () => {
      const at = h.clock.date();
      const user = await h.store.users.create({ profile: nested(100) });
      const gotUser = await h.store.users.get(user.id);
      expect(gotUser?.profile).toEqual(nested(100));
      expect(gotUser?.createdAt).toBeInstanceOf(Date);
      expect(gotUser?.createdAt).toEqual(at);

      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      await h.store.threads.append(thread.id, inbound(at, 'deep', { metadata: nested(100) }));
      const [entry] = await h.store.threads.read(thread.id);
      expect(entry?.metadata).toEqual(nested(100));
      expect(entry?.at).toBeInstanceOf(Date);
      expect(entry?.at).toEqual(at);

      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { payload: nested(100) }),
      );
      const gotDelivery = await h.store.deliveries.get(delivery.id);
      expect(gotDelivery?.payload).toEqual(nested(100));
      expect(gotDelivery?.createdAt).toBeInstanceOf(Date);
      expect(gotDelivery?.createdAt).toEqual(at);
      expect(gotDelivery?.nextAttemptAt).toEqual(at);
    });

    it('an own __proto__ key comes back an ordinary key: writable, enumerable and configurable', async () => {
      // What JSON.parse makes of `"__proto__"`: an own key, which the caller may change or delete.
      const profile = JSON.parse('{"__proto__":{"admin":true},"name":"Ann"}') as JsonObject;
      const user = await h.store.users.create({ profile });
      const got = (await h.store.users.get(user.id))?.profile;
      expect(Object.getOwnPropertyDescriptor(got, '__proto__')).toEqual({
        value: { admin: true },
        writable: true,
        enumerable: true,
        configurable: true,
      });
    });
  });
}
