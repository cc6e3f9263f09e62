import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createDedupeStore } from '../src/dedupe';
import { createState } from '../src/state';
import { MINUTE, newDelivery, setup } from './fixtures';

// What the store keeps so that a long run does not grow without bound, and what it shares so
// that many equal records cost little, without either being visible to callers.

describe('dedupe claims', () => {
  it('sweeps expired claims out as new ones come, and keeps the live ones', async () => {
    const clock = createFakeClock();
    const state = createState(clock, () => 'unused');
    const dedupe = createDedupeStore(state);
    expect(await dedupe.claim('long-lived', 60 * MINUTE)).toBe(true);
    for (let index = 0; index < 100_000; index += 1) {
      await dedupe.claim(`message-${index}`, 1_000);
      clock.advance(1);
    }
    // 100,000 claims of one second, a millisecond apart: about 1,000 live at any time.
    expect(state.claims.size).toBeLessThan(5_000);
    expect(await dedupe.claim('long-lived', MINUTE)).toBe(false);
    expect(await dedupe.claim('message-99999', 1_000)).toBe(false);
    expect(await dedupe.claim('message-0', 1_000)).toBe(true);
  });
});

describe('shared delivery payloads', () => {
  it('equal payloads read back equal, in their key order, and a change to one result changes no other', async () => {
    const { store, clock } = setup();
    const payload = () => ({
      template: { name: 'order_update', values: { body: { '1': 'Ann' } } },
    });
    const first = await store.deliveries.create(newDelivery(clock, { payload: payload() }));
    const second = await store.deliveries.create(newDelivery(clock, { payload: payload() }));

    const got = await store.deliveries.get(first.delivery.id);
    if (got === null) throw new Error('delivery missing');
    expect(got.payload).toEqual(payload());
    (got.payload as { template: { name: string } }).template.name = 'changed';
    first.delivery.payload.template = 'changed';

    for (const { delivery } of [first, second]) {
      expect((await store.deliveries.get(delivery.id))?.payload).toEqual(payload());
    }
  });

  it('keeps the caller’s key order for the delivery and its payload', async () => {
    const { store, clock } = setup();
    const input = { ...newDelivery(clock), payload: { z: 1, a: { y: 2, b: 3 } } };
    const { delivery } = await store.deliveries.create(input);
    const got = await store.deliveries.get(delivery.id);
    expect(JSON.stringify(got?.payload)).toBe('{"z":1,"a":{"y":2,"b":3}}');
    expect(Object.keys(got ?? {})).toEqual([
      ...Object.keys(input).filter((key) => key !== 'lease'),
      'id',
      'status',
      'attempts',
      'lease',
      'events',
      'createdAt',
      'updatedAt',
    ]);
  });

  it('a payload changed after create does not reach the stored one, shared or not', async () => {
    const { store, clock } = setup();
    const input = newDelivery(clock, { payload: { text: 'hi', tags: ['a'] } });
    await store.deliveries.create(newDelivery(clock, { payload: { text: 'hi', tags: ['a'] } }));
    const { delivery } = await store.deliveries.create(input);
    (input.payload.tags as string[]).push('b');
    expect((await store.deliveries.get(delivery.id))?.payload).toEqual({ text: 'hi', tags: ['a'] });
  });
});
