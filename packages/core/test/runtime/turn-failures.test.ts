import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentTurn, ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/** The memory store whose `leases.acquire` throws the first `failures` times. */
function failingLeases(store: ThreadStore, failures: number): ThreadStore {
  let left = failures;
  const leases: ThreadStore['leases'] = {
    acquire: (input) => {
      if (left > 0) {
        left -= 1;
        return Promise.reject(new Error('connection refused'));
      }
      return store.leases.acquire(input);
    },
    renew: (input) => store.leases.renew(input),
    release: (input) => store.leases.release(input),
    holder: (key) => store.leases.holder(key),
  };
  return Object.assign(Object.create(store) as ThreadStore, { leases });
}

describe('agent turns when the store fails', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('reports a throwing lease acquire to onError, rejects nothing, and runs the next turn', async () => {
    const clock = createFakeClock();
    const turns: AgentTurn[] = [];
    h = await createHarness({
      clock,
      store: failingLeases(createMemoryStore({ clock }), 1),
      onMessage: (turn) => {
        turns.push(turn);
      },
    });
    await h.channels.whatsapp.receive({ from: ANN, text: 'first', id: 'wamid.a' });
    await h.channels.whatsapp.receive({ from: ANN, text: 'second', id: 'wamid.b' });
    await h.threadline.idle();

    expect(h.errors.map((error) => (error as Error).message)).toEqual(['connection refused']);
    expect(turns.map((turn) => turn.message.text)).toContain('second');
  });
});
