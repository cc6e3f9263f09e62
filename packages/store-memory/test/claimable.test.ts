import { describe, expect, it } from 'vitest';
import { claimIds, MINUTE, newDelivery, setup } from './fixtures';

// `claimDue` looks only at an index of deliveries that could be claimed (`queued` with a
// `nextAttemptAt`). Each test here makes one transition and checks that claimDue agrees with it
// afterwards: a transition that forgot the index would leave a delivery unclaimed forever, or
// hand out one that must not go.

const FAILURE = { category: 'provider', code: 'x', message: 'down', retryable: true } as const;

describe('claimDue after each transition', () => {
  it('create: due now is claimable, parked is not, leased is not until the lease expires', async () => {
    const { store, clock } = setup();
    const due = await store.deliveries.create(newDelivery(clock));
    await store.deliveries.create(newDelivery(clock, { nextAttemptAt: null }));
    const leased = await store.deliveries.create(
      newDelivery(clock, { lease: { owner: 'b', ms: MINUTE } }),
    );
    expect(await claimIds(store)).toEqual([due.delivery.id]);
    clock.advance(MINUTE);
    // Both leases (the claim above and the creator's) have now expired.
    expect(await claimIds(store)).toEqual([due.delivery.id, leased.delivery.id]);
  });

  it('schedule makes a parked delivery claimable once its time comes', async () => {
    const { store, clock } = setup();
    const { delivery } = await store.deliveries.create(newDelivery(clock, { nextAttemptAt: null }));
    await store.deliveries.schedule(delivery.id, new Date(clock.now() + MINUTE));
    expect(await claimIds(store)).toEqual([]);
    clock.advance(MINUTE);
    expect(await claimIds(store)).toEqual([delivery.id]);
  });

  it('reschedule: to a later time it comes back then; to null it is parked until schedule', async () => {
    const { store, clock } = setup();
    const { delivery } = await store.deliveries.create(newDelivery(clock));
    expect(await claimIds(store)).toEqual([delivery.id]);
    await store.deliveries.reschedule(delivery.id, {
      owner: 'a',
      at: new Date(clock.now() + MINUTE),
      error: FAILURE,
    });
    expect(await claimIds(store)).toEqual([]);
    clock.advance(MINUTE);
    expect(await claimIds(store)).toEqual([delivery.id]);

    await store.deliveries.reschedule(delivery.id, { owner: 'a', at: null });
    clock.advance(10 * MINUTE);
    expect(await claimIds(store)).toEqual([]);
    await store.deliveries.schedule(delivery.id, clock.date());
    expect(await claimIds(store)).toEqual([delivery.id]);
  });

  it('complete and fail take it out for good; retry puts a failed one back', async () => {
    const { store, clock } = setup();
    const sent = await store.deliveries.create(newDelivery(clock));
    const failed = await store.deliveries.create(newDelivery(clock));
    await claimIds(store);
    await store.deliveries.complete(sent.delivery.id, {
      owner: 'a',
      providerMessageId: 'SM1',
      status: 'sent',
      at: clock.date(),
    });
    await store.deliveries.fail(failed.delivery.id, {
      owner: 'a',
      error: { ...FAILURE, retryable: false },
      at: clock.date(),
    });
    clock.advance(10 * MINUTE);
    expect(await claimIds(store)).toEqual([]);

    await store.deliveries.retry(failed.delivery.id, clock.date());
    expect(await claimIds(store)).toEqual([failed.delivery.id]);
  });

  it('updateStatus: a receipt that moves it past queued, or a terminal one, takes it out', async () => {
    const { store, clock } = setup();
    const accepted = await store.deliveries.create(newDelivery(clock, { nextAttemptAt: null }));
    const expired = await store.deliveries.create(newDelivery(clock));
    // A receipt may arrive for a delivery that is still queued (the send's answer was lost).
    await store.deliveries.schedule(accepted.delivery.id, clock.date());
    await store.deliveries.updateStatus(accepted.delivery.id, {
      status: 'accepted',
      at: clock.date(),
      source: 'provider',
    });
    await store.deliveries.updateStatus(expired.delivery.id, {
      status: 'expired',
      at: clock.date(),
      source: 'policy',
    });
    expect(await claimIds(store)).toEqual([]);
    await store.deliveries.retry(expired.delivery.id, clock.date());
    expect(await claimIds(store)).toEqual([expired.delivery.id]);
  });

  it('a merge keeps the moved user’s due deliveries claimable; an erasure removes them', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const annDue = await store.deliveries.create(newDelivery(clock, { userId: ann.id }));
    await store.users.merge({ into: bob.id, from: ann.id });
    expect(await claimIds(store)).toEqual([annDue.delivery.id]);

    clock.advance(MINUTE);
    await store.privacy.eraseUser(bob.id);
    expect(await claimIds(store)).toEqual([]);
  });
});

describe('claimDue order', () => {
  it('takes the oldest due first, and among equal due times the older delivery first', async () => {
    const { store, clock } = setup();
    const older = await store.deliveries.create(newDelivery(clock, { nextAttemptAt: null }));
    const newer = await store.deliveries.create(newDelivery(clock));
    const earliest = await store.deliveries.create(
      newDelivery(clock, { nextAttemptAt: new Date(clock.now() - MINUTE) }),
    );
    // The older one joins the claimable set last, due at the same time as the newer one.
    await store.deliveries.schedule(older.delivery.id, clock.date());
    expect(await claimIds(store, 2)).toEqual([earliest.delivery.id, older.delivery.id]);
    expect(await claimIds(store, 2)).toEqual([newer.delivery.id]);
  });

  it('two concurrent claims split the due deliveries between them', async () => {
    const { store, clock } = setup();
    for (let index = 0; index < 5; index += 1) {
      await store.deliveries.create(newDelivery(clock));
    }
    const [first, second] = await Promise.all([claimIds(store, 3), claimIds(store, 3)]);
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(2);
    expect(new Set([...(first ?? []), ...(second ?? [])]).size).toBe(5);
  });
});
