import { describe, expect, it } from 'vitest';
import { newDelivery, setup } from './fixtures';

// The memory store finds one user's identities, threads, deliveries and held messages through
// per-user indexes. These tests move records between users (link, merge) and remove them (erase),
// and check that every read still sees exactly what a scan of everything would, in the same order.

const A = '+447700900001';
const B = '+447700900002';

describe('identities by user', () => {
  it('listByUser follows an identity that link moves to another user, in creation order', async () => {
    const { store } = setup();
    const ann = (await store.identities.resolve({ channel: 'sms', address: A, kind: 'phone' }))
      .user;
    const bob = (
      await store.identities.resolve({ channel: 'email', address: 'b@x.io', kind: 'email' })
    ).user;
    await store.identities.resolve({ channel: 'whatsapp', address: A, kind: 'phone' });

    await store.identities.link({ channel: 'sms', address: A, kind: 'phone', userId: bob.id });

    const channels = async (userId: string) =>
      (await store.identities.listByUser(userId)).map((identity) => identity.channel);
    expect(await channels(ann.id)).toEqual(['whatsapp']);
    // sms was created before email, so it comes first although it joined bob later.
    expect(await channels(bob.id)).toEqual(['sms', 'email']);
  });

  it('listByUser gives the merged user every identity, in creation order, and the old one none', async () => {
    const { store } = setup();
    const ann = (await store.identities.resolve({ channel: 'sms', address: A, kind: 'phone' }))
      .user;
    const bob = (await store.identities.resolve({ channel: 'sms', address: B, kind: 'phone' }))
      .user;
    await store.identities.resolve({ channel: 'whatsapp', address: A, kind: 'phone' });

    await store.users.merge({ into: bob.id, from: ann.id });

    expect((await store.identities.listByUser(bob.id)).map((identity) => identity.address)).toEqual(
      [A, B, A],
    );
    expect(await store.identities.listByUser(ann.id)).toEqual([]);
    // A later link of the moved identity starts from its new owner.
    await store.identities.link({ channel: 'whatsapp', address: A, kind: 'phone', userId: bob.id });
    expect(await store.identities.listByUser(bob.id)).toHaveLength(3);
  });

  it('erasure empties the list, and a new contact on the address starts a fresh one', async () => {
    const { store } = setup();
    const ann = (await store.identities.resolve({ channel: 'sms', address: A, kind: 'phone' }))
      .user;
    const bob = (await store.identities.resolve({ channel: 'sms', address: B, kind: 'phone' }))
      .user;
    await store.privacy.eraseUser(ann.id);
    expect(await store.identities.listByUser(ann.id)).toEqual([]);
    expect(await store.identities.listByUser(bob.id)).toHaveLength(1);
    const again = await store.identities.resolve({ channel: 'sms', address: A, kind: 'phone' });
    expect(await store.identities.listByUser(again.user.id)).toMatchObject([{ address: A }]);
  });
});

describe('threads by user', () => {
  it('merge moves threads with other agents and folds those with the same agent', async () => {
    const { store } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const annSales = await store.threads.ensure({ userId: ann.id, agentId: 'sales' });
    const bobSupport = await store.threads.ensure({ userId: bob.id, agentId: 'support' });
    await store.threads.ensure({ userId: ann.id, agentId: 'support' });

    await store.users.merge({ into: bob.id, from: ann.id });

    expect((await store.threads.listByUser(bob.id)).map((thread) => thread.id)).toEqual([
      annSales.id,
      bobSupport.id,
    ]);
    expect(await store.threads.listByUser(ann.id)).toEqual([]);
    // The moved thread is found by its new pair, and erasing bob takes it too.
    expect((await store.threads.ensure({ userId: bob.id, agentId: 'sales' })).id).toBe(annSales.id);
    await store.privacy.eraseUser(bob.id);
    expect(await store.threads.get(annSales.id)).toBeNull();
    expect(await store.threads.listByUser(bob.id)).toEqual([]);
  });
});

describe('deliveries by user and by thread', () => {
  it('list({ userId }) after a merge holds both users’ deliveries, newest first, ties later-created first', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const first = await store.deliveries.create(newDelivery(clock, { userId: ann.id }));
    const second = await store.deliveries.create(newDelivery(clock, { userId: bob.id }));
    clock.advance(1_000);
    const third = await store.deliveries.create(newDelivery(clock, { userId: ann.id }));

    await store.users.merge({ into: bob.id, from: ann.id });

    const listed = await store.deliveries.list({ userId: bob.id });
    expect(listed.map((delivery) => delivery.id)).toEqual([
      third.delivery.id,
      second.delivery.id,
      first.delivery.id,
    ]);
    expect(listed.every((delivery) => delivery.userId === bob.id)).toBe(true);
    expect(await store.deliveries.list({ userId: ann.id })).toEqual([]);
  });

  it('a delivery recorded in a merged thread follows it, and erasing the survivor erases it', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const annThread = await store.threads.ensure({ userId: ann.id, agentId: 'support' });
    const bobThread = await store.threads.ensure({ userId: bob.id, agentId: 'support' });
    // No userId: only the thread ties it to anyone.
    const { delivery } = await store.deliveries.create(
      newDelivery(clock, { threadId: annThread.id }),
    );

    await store.users.merge({ into: bob.id, from: ann.id });
    expect((await store.deliveries.get(delivery.id))?.threadId).toBe(bobThread.id);

    const report = await store.privacy.eraseUser(bob.id);
    expect(report?.deliveries).toBe(1);
    expect(await store.deliveries.get(delivery.id)).toBeNull();
  });

  it('erasure removes only the erased user’s deliveries from the lists', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    await store.deliveries.create(newDelivery(clock, { userId: ann.id }));
    const kept = await store.deliveries.create(newDelivery(clock, { userId: bob.id }));
    await store.privacy.eraseUser(ann.id);
    expect(await store.deliveries.list({ userId: ann.id })).toEqual([]);
    expect((await store.deliveries.list()).map((delivery) => delivery.id)).toEqual([
      kept.delivery.id,
    ]);
  });
});

describe('held messages by user', () => {
  it('merge hands held messages to the surviving user, released oldest first', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const parked = (userId: string) =>
      store.deliveries.create(newDelivery(clock, { userId, nextAttemptAt: null }));
    const hold = async (userId: string) =>
      store.held.hold({
        userId,
        channel: 'whatsapp',
        deliveryId: (await parked(userId)).delivery.id,
        heldAt: clock.date(),
      });
    const annFirst = await hold(ann.id);
    const bobFirst = await hold(bob.id);
    clock.advance(1_000);
    const annLater = await hold(ann.id);

    await store.users.merge({ into: bob.id, from: ann.id });

    expect(await store.held.list(ann.id)).toEqual([]);
    const released = await store.held.release({ userId: bob.id, channel: 'whatsapp' });
    expect(released.map((message) => message.id)).toEqual([annFirst.id, bobFirst.id, annLater.id]);
    expect(released.every((message) => message.userId === bob.id)).toBe(true);
    expect(await store.held.list(bob.id)).toEqual([]);
  });

  it('erasure also removes another user’s held message that waits for an erased delivery', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const bob = await store.users.create({});
    const { delivery } = await store.deliveries.create(
      newDelivery(clock, { userId: ann.id, nextAttemptAt: null }),
    );
    await store.held.hold({
      userId: bob.id,
      channel: 'sms',
      deliveryId: delivery.id,
      heldAt: clock.date(),
    });
    const report = await store.privacy.eraseUser(ann.id);
    expect(report?.held).toBe(1);
    expect(await store.held.list(bob.id)).toEqual([]);
  });

  it('release takes only the channel asked for and leaves the rest listed', async () => {
    const { store, clock } = setup();
    const ann = await store.users.create({});
    const { delivery } = await store.deliveries.create(newDelivery(clock, { userId: ann.id }));
    for (const channel of ['sms', 'whatsapp']) {
      await store.held.hold({
        userId: ann.id,
        channel,
        deliveryId: delivery.id,
        heldAt: clock.date(),
      });
    }
    expect(await store.held.release({ userId: ann.id, channel: 'sms' })).toHaveLength(1);
    expect((await store.held.list(ann.id)).map((message) => message.channel)).toEqual(['whatsapp']);
    expect(await store.held.release({ userId: ann.id, channel: 'sms' })).toEqual([]);
  });
});
