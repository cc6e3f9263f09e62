import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/**
 * The memory store, whose `complete` (and `completeMany`) fails with a retryable StoreError the
 * first `failures` times.
 */
function flakyComplete(
  store: ThreadStore,
  failures: number,
): ThreadStore & { completeCalls: () => number } {
  let calls = 0;
  const deliveries = Object.create(store.deliveries) as ThreadStore['deliveries'];
  const fail = () => {
    calls += 1;
    if (calls <= failures)
      throw new StoreError('connection reset', { code: 'store_unavailable', retryable: true });
  };
  deliveries.complete = async (id, input) => {
    fail();
    return store.deliveries.complete(id, input);
  };
  // The runtime completes through the batch method when the store has one (group commit); each
  // test here sends one message, so one call is one complete either way.
  const completeMany = store.deliveries.completeMany?.bind(store.deliveries);
  if (completeMany !== undefined) {
    deliveries.completeMany = async (items) => {
      fail();
      return completeMany(items);
    };
  }
  return Object.assign(Object.create(store) as ThreadStore, {
    deliveries,
    completeCalls: () => calls,
  });
}

describe('recording a send the provider already took', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  /** A runtime whose store fails `complete` the first `failures` times; record retries are 1 ms. */
  async function startWithFlakyComplete(failures: number) {
    const clock = createFakeClock();
    const store = flakyComplete(createMemoryStore({ clock }), failures);
    h = await createHarness({
      clock,
      store,
      outbox: { pollIntervalMs: 3_600_000, recordRetryDelaysMs: [1, 1, 1] },
    });
    return store;
  }

  it('retries the store instead of sending again when recording fails for a moment', async () => {
    const store = await startWithFlakyComplete(2);

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'once only',
    });

    expect(h.channels.sms.calls).toBe(1);
    expect(store.completeCalls()).toBe(3);
    expect(result).toMatchObject({ delivered: true, status: 'accepted' });
  });

  it('reports a send it could not record as delivered, with a warning, and does not resend it at once', async () => {
    const store = await startWithFlakyComplete(100);

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'recorded?',
    });
    await h.threadline.runDue();

    expect(result.delivered).toBe(true);
    expect(result.warning).toMatch(/sent \(test-msg-1\) but not recorded/);
    expect(h.channels.sms.calls).toBe(1);
    expect(store.completeCalls()).toBe(4);
    expect(h.errors).toHaveLength(1);
  });
});
