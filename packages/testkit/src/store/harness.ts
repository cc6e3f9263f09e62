import type { ThreadStore } from '@threadline/core';
import { afterEach, beforeEach } from 'vitest';
import { createFakeClock, type FakeClock } from '../fake-clock';

/**
 * Makes a fresh, empty, isolated store for one test. It must use `clock` for every "now" (TTLs,
 * leases, due times, timestamps) so the suite can move time instead of sleeping.
 */
export type StoreFactory = (context: { clock: FakeClock }) => ThreadStore | Promise<ThreadStore>;

/** The store and clock of the test that is running. */
export interface StoreHarness {
  readonly store: ThreadStore;
  readonly clock: FakeClock;
}

/**
 * Registers `beforeEach`/`afterEach` hooks that make a store per test and close it after, and
 * returns accessors for the current one. Call it inside a `describe`.
 */
export function createStoreHarness(factory: StoreFactory): StoreHarness {
  let current: { store: ThreadStore; clock: FakeClock } | undefined;

  beforeEach(async () => {
    const clock = createFakeClock();
    current = { store: await factory({ clock }), clock };
  });

  afterEach(async () => {
    const finished = current;
    current = undefined;
    await finished?.store.close();
  });

  function active(): { store: ThreadStore; clock: FakeClock } {
    if (current === undefined) {
      throw new Error('The store harness is only available inside a running conformance test');
    }
    return current;
  }

  return {
    get store() {
      return active().store;
    },
    get clock() {
      return active().clock;
    },
  };
}
