import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeContext } from '../../src/runtime/context';
import { LEASE_RENEWALS_PER_LEASE, LeaseKeeper } from '../../src/runtime/outbox/lease';
import type { Delivery } from '../../src/store/deliveries';

const LEASE_MS = 3_000;
const EVERY = LEASE_MS / LEASE_RENEWALS_PER_LEASE;

/** Just what the keeper reads of a runtime: the store's renewLease, the lease and the owner. */
function runtime(
  renewLease?: (input: { id: string; owner: string; leaseMs: number }) => Promise<boolean>,
) {
  const errors: unknown[] = [];
  const ctx = {
    store: { deliveries: renewLease === undefined ? {} : { renewLease } },
    options: { outbox: { leaseMs: LEASE_MS } },
    instanceId: 'instance-a',
    reportError: (error: unknown) => errors.push(error),
  } as unknown as RuntimeContext;
  return { ctx, errors };
}

const delivery = (id: string) => ({ id }) as Delivery;

describe('LeaseKeeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews every running call with one timer, each within a renewal interval of its start', async () => {
    vi.useFakeTimers();
    const renewed: string[] = [];
    const { ctx } = runtime(async ({ id, owner, leaseMs }) => {
      renewed.push(`${id}/${owner}/${leaseMs}`);
      return true;
    });
    const keeper = new LeaseKeeper(ctx);
    keeper.keep(delivery('d1'));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(EVERY / 2);
    keeper.keep(delivery('d2'));
    // Still one timer for both calls.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(EVERY / 2);
    expect(renewed).toEqual([`d1/instance-a/${LEASE_MS}`, `d2/instance-a/${LEASE_MS}`]);

    const d1 = delivery('d1');
    keeper.keep(d1);
    keeper.release(d1);
    renewed.length = 0;
    await vi.advanceTimersByTimeAsync(EVERY);
    expect(renewed).toEqual([`d1/instance-a/${LEASE_MS}`, `d2/instance-a/${LEASE_MS}`]);
  });

  it('stops its timer with the last running call, and starts it again with the next', async () => {
    vi.useFakeTimers();
    const renewLease = vi.fn(async () => true);
    const { ctx } = runtime(renewLease);
    const keeper = new LeaseKeeper(ctx);
    const first = delivery('d1');
    const second = delivery('d2');
    keeper.keep(first);
    keeper.keep(second);
    keeper.release(first);
    expect(vi.getTimerCount()).toBe(1);
    keeper.release(second);
    expect(vi.getTimerCount()).toBe(0);
    // Releasing again changes nothing.
    keeper.release(second);
    await vi.advanceTimersByTimeAsync(EVERY * 3);
    expect(renewLease).not.toHaveBeenCalled();

    keeper.keep(delivery('d3'));
    await vi.advanceTimersByTimeAsync(EVERY);
    expect(renewLease).toHaveBeenCalledTimes(1);
  });

  it('reports a failed renewal and keeps renewing the others', async () => {
    vi.useFakeTimers();
    const { ctx, errors } = runtime(async ({ id }) => {
      if (id === 'bad') throw new Error('store down');
      return true;
    });
    const keeper = new LeaseKeeper(ctx);
    keeper.keep(delivery('bad'));
    keeper.keep(delivery('good'));
    await vi.advanceTimersByTimeAsync(EVERY);
    expect(errors).toEqual([new Error('store down')]);
  });

  it('sets no timer on a store that cannot renew leases', () => {
    vi.useFakeTimers();
    const { ctx } = runtime();
    const keeper = new LeaseKeeper(ctx);
    keeper.keep(delivery('d1'));
    expect(vi.getTimerCount()).toBe(0);
    keeper.release(delivery('d1'));
  });
});
