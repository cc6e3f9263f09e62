import type { NewDelivery, NewThreadEntry } from '@threadline/core';
import { newDelivery } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createInstances } from './support/instances';
import { serverReachable } from './support/server';

// `deliveries.create({ threadEntry })` across two slots (`{o}`, the thread's): the delivery keeps
// the entry it owes, the entry is appended once per delivery, and nobody is handed the delivery
// to send before its thread shows it. Instance A talks through a proxy that counts round trips
// and cuts or holds the connection; instance B shares the Redis and the clock.

const LEASE = 30_000;

describe.runIf(serverReachable)('a delivery and its thread entry on a Redis server', () => {
  const instances = createInstances('delivery-entry');
  afterAll(() => instances.dispose());

  async function setup() {
    const { keyPrefix, clock, a, proxy, b, admin, proxied } = await instances.next();
    const { user } = await b.identities.resolve({
      channel: 'sms',
      address: '+447700900123',
      kind: 'phone',
    });
    const thread = await b.threads.ensure({ userId: user.id, agentId: 'support' });
    const entry: Omit<NewThreadEntry, 'deliveryId'> = {
      direction: 'outbound',
      at: clock.date(),
      text: 'Your order has shipped',
      channel: 'sms',
      adapterId: 'sms-main',
    };
    const input = (overrides: Partial<NewDelivery> = {}): NewDelivery =>
      newDelivery(clock, {
        userId: user.id,
        threadId: thread.id,
        threadEntry: entry,
        lease: { owner: 'instance-a', ms: LEASE },
        ...overrides,
      });
    // Every script loaded before anything is counted.
    const warm = await b.deliveries.create(input({ idempotencyKey: 'warm' }));
    await b.deliveries.fail(warm.delivery.id, {
      error: { category: 'provider', code: 'x', message: 'warm-up', retryable: false },
      at: clock.date(),
    });
    const claim = () => b.deliveries.claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE });
    const owes = async (id: string) =>
      (await admin.hGet(`${keyPrefix}{o}:d:${id}`, 'owe')) !== null;
    const texts = async () =>
      (await b.threads.read(thread.id)).map((e) => [e.text, e.deliveryId ?? null]);
    return {
      clock,
      proxy,
      proxied,
      a,
      b,
      admin,
      keyPrefix,
      thread,
      input,
      claim,
      owes,
      texts,
      warm,
    };
  }

  it('create with its entry is 3 round trips (4 unleased) and returns once the thread shows it', async () => {
    const { proxy, a, b, thread, input, warm } = await setup();
    proxy.reset();
    await a.deliveries.create(input({ lease: undefined, nextAttemptAt: null }));
    // Thread check, create, append; and the settle of a delivery no holder steps on next.
    expect(proxy.roundTrips()).toBe(4);
    proxy.reset();
    const made = await a.deliveries.create(input());
    expect(proxy.roundTrips()).toBe(3);
    expect(made.entry).toMatchObject({ threadId: thread.id, seq: 3, deliveryId: made.delivery.id });
    expect((await b.threads.read(thread.id)).map((e) => e.deliveryId)).toHaveLength(3);
    expect((await b.threads.read(thread.id)).map((e) => e.deliveryId)).toContain(warm.delivery.id);
    // The per-delivery marker lives in the thread hash; a read of the thread does not show it.
    expect(await b.threads.get(thread.id)).toEqual(thread);
  });

  it('dies before the append: a claim writes the entry before it hands the delivery out, once', async () => {
    const { clock, proxy, proxied, a, b, input, owes, texts, warm } = await setup();
    // Round trips 1 and 2 (thread check, create) reach Redis; the append (and its retry) do not.
    proxy.cutAfter(2);
    await expect(a.deliveries.create(input({ idempotencyKey: 'order-42' }))).rejects.toThrow();
    const stored = await b.deliveries.getByIdempotencyKey('order-42');
    expect(stored).toMatchObject({ status: 'queued', lease: { owner: 'instance-a' } });
    const id = stored?.id ?? '';
    expect(await texts()).toEqual([['Your order has shipped', warm.delivery.id]]);

    // Instance B claims through a proxy that counts: the claim script, then the owed entries
    // (appended together, one round trip).
    const observed = await proxied();
    const claim = () =>
      observed.store.deliveries.claimDue({ owner: 'instance-b', limit: 10, leaseMs: LEASE });
    clock.advance(LEASE + 1);
    observed.proxy.reset();
    expect((await claim()).map((d) => d.id)).toEqual([id]);
    expect(observed.proxy.roundTrips()).toBe(2);
    expect(await texts()).toEqual([
      ['Your order has shipped', warm.delivery.id],
      ['Your order has shipped', id],
    ]);
    // Claimed again (its holder died too): the entry is not written twice.
    clock.advance(LEASE + 1);
    expect(await claim()).toMatchObject([{ id, attempts: 3 }]);
    expect(await texts()).toHaveLength(2);
    // The holder's next step settles the debt.
    expect(await owes(id)).toBe(true);
    await b.deliveries.complete(id, {
      owner: 'instance-b',
      providerMessageId: 'SM1',
      status: 'sent',
      at: clock.date(),
    });
    expect(await owes(id)).toBe(false);
  });

  it('a leased delivery owes its entry until its holder renews or finishes; a parked one is settled at once', async () => {
    const { b, input, owes, clock } = await setup();
    const leased = await b.deliveries.create(input());
    expect(await owes(leased.delivery.id)).toBe(true);
    const renewLease = b.deliveries.renewLease;
    if (renewLease === undefined) throw new Error('renewLease is missing');
    expect(
      await renewLease.call(b.deliveries, {
        id: leased.delivery.id,
        owner: 'instance-a',
        leaseMs: LEASE,
      }),
    ).toBe(true);
    expect(await owes(leased.delivery.id)).toBe(false);

    const parked = await b.deliveries.create(input({ lease: undefined, nextAttemptAt: null }));
    expect(parked.entry?.deliveryId).toBe(parked.delivery.id);
    expect(await owes(parked.delivery.id)).toBe(false);
    await b.deliveries.schedule(parked.delivery.id, clock.date());
    expect((await b.deliveries.claimDue({ owner: 'x', limit: 10, leaseMs: LEASE })).length).toBe(1);
    expect((await b.threads.read(input().threadId ?? '')).length).toBe(3);
  });

  it('a delivery whose thread is being merged away is not handed out until its entry is written', async () => {
    const { clock, proxy, a, admin, keyPrefix, thread, input, claim, texts } = await setup();
    proxy.cutAfter(2);
    await expect(a.deliveries.create(input({ idempotencyKey: 'k' }))).rejects.toThrow();
    const threadKey = `${keyPrefix}t:${thread.id}`;
    await admin.hSet(threadKey, 'closed', '1');
    clock.advance(LEASE + 1);
    expect(await claim()).toEqual([]);
    await admin.hDel(threadKey, 'closed');
    clock.advance(LEASE + 1);
    const [handed] = await claim();
    expect((await texts()).at(-1)).toEqual(['Your order has shipped', handed?.id]);
  });

  it('a thread that goes away between the check and the create: the create is undone', async () => {
    const { proxy, a, b, admin, keyPrefix, thread, input } = await setup();
    const pause = proxy.pauseAfter(1);
    const creating = a.deliveries.create(input({ idempotencyKey: 'late' }));
    await pause.held;
    await admin.del([`${keyPrefix}t:${thread.id}`, `${keyPrefix}e:${thread.id}`]);
    pause.resume();
    await expect(creating).rejects.toMatchObject({ category: 'not_found' });
    expect(await b.deliveries.getByIdempotencyKey('late')).toBeNull();
    expect(await b.deliveries.list({ userId: thread.userId })).toHaveLength(1);
  });
});
