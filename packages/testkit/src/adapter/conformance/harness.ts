import {
  type AdapterContext,
  type ChannelAdapter,
  type EventSink,
  silentLogger,
  type ThreadStore,
} from '@threadline/core';
import { afterEach, beforeEach } from 'vitest';
import { createFakeClock, type FakeClock } from '../../fake-clock';
import type { AdapterFactory, AdapterFixtures } from './fixtures';

/** What every conformance test works with: a fresh adapter and clock, and a way to start it. */
export interface SuiteHarness {
  readonly adapter: ChannelAdapter;
  readonly clock: FakeClock;
  /** Starts the adapter with `sink`; the harness stops it after the test. */
  start(sink: EventSink): Promise<AdapterContext>;
}

/**
 * A store that explains itself: the suite has none of its own (the testkit cannot depend on a
 * store package), so an adapter that reads one learns where to pass it instead of failing on
 * `undefined`.
 */
function missingStore(): ThreadStore {
  return new Proxy({} as ThreadStore, {
    get(_target, key) {
      // Promise resolution and inspection probe these; answering them is not using the store.
      if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
      throw new Error(
        `The adapter read context.store.${String(key)}, but the conformance suite has no store: pass fixtures.context.store`,
      );
    },
  });
}

/**
 * Registers the `beforeEach`/`afterEach` hooks of a conformance run: reset the fixtures, build a
 * fresh adapter with a fresh fake clock, and stop the adapter after the test if it was started.
 */
export function useHarness(factory: AdapterFactory, fixtures: AdapterFixtures): SuiteHarness {
  let adapter: ChannelAdapter | undefined;
  let clock: FakeClock | undefined;
  let started = false;

  beforeEach(async () => {
    await fixtures.reset?.();
    clock = createFakeClock();
    adapter = await factory({ clock });
    started = false;
  });

  afterEach(async () => {
    if (started) await adapter?.stop?.();
    started = false;
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The conformance harness is used outside a test');
    return value;
  };

  return {
    get adapter() {
      return ready(adapter);
    },
    get clock() {
      return ready(clock);
    },
    async start(sink) {
      const current = ready(adapter);
      if (typeof current.start !== 'function') {
        throw new Error(`Adapter ${current.id} has no start(context)`);
      }
      const context: AdapterContext = {
        sink,
        store: fixtures.context?.store ?? missingStore(),
        agentId: fixtures.context?.agentId ?? 'default',
        logger: fixtures.context?.logger ?? silentLogger,
        clock: ready(clock),
      };
      await current.start(context);
      started = true;
      return context;
    },
  };
}
