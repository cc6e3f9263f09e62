import type { NewDelivery } from '@threadline/core';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { createMemoryStore, type MemoryStore } from '../src/index';

/** A minute, for readable clock moves. */
export const MINUTE = 60_000;

/** A memory store on a fake clock, with ids `id-1`, `id-2`… so tests can name them. */
export function setup(): { store: MemoryStore; clock: FakeClock } {
  const clock = createFakeClock();
  let next = 0;
  return {
    clock,
    store: createMemoryStore({ clock, generateId: () => `id-${++next}` }),
  };
}

/** A delivery input due now unless `overrides` say otherwise. */
export function newDelivery(clock: FakeClock, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    channel: 'sms',
    adapterId: 'sms-main',
    recipient: '+447700900001',
    payload: { text: 'Your order has shipped' },
    origin: 'send',
    nextAttemptAt: clock.date(),
    ...overrides,
  };
}

/** The ids of what `claimDue` hands to owner `a` now (leasing them for a minute). */
export async function claimIds(store: MemoryStore, limit = 100): Promise<string[]> {
  const claimed = await store.deliveries.claimDue({ owner: 'a', limit, leaseMs: MINUTE });
  return claimed.map((delivery) => delivery.id);
}
