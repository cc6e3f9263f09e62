import { createFakeClock, type FakeClock, newDelivery } from '@threadline/testkit';
import { createMemoryStore, type MemoryStore } from '../src/index';

export { newDelivery };

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

/** The ids of what `claimDue` hands to owner `a` now (leasing them for a minute). */
export async function claimIds(store: MemoryStore, limit = 100): Promise<string[]> {
  const claimed = await store.deliveries.claimDue({ owner: 'a', limit, leaseMs: MINUTE });
  return claimed.map((delivery) => delivery.id);
}
