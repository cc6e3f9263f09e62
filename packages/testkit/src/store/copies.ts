import type { JsonObject } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { inbound, newDelivery, PHONE_A } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * A store hands out copies and keeps copies: a caller mutating what it got back, or what it passed
 * in, must not change stored data (as with any database; a memory store must clone to match).
 */
export function describeCopies(h: StoreHarness): void {
  describe('returned objects are copies', () => {
    it('mutating a returned user, identity or thread does not change the store', async () => {
      const { user, identity } = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      await h.store.users.update(user.id, { profile: { plan: 'pro' } });
      const got = await h.store.users.get(user.id);
      if (got === null) throw new Error('user missing');
      got.phoneNumbers.push('+15555550100');
      got.profile.plan = 'hacked';
      got.displayName = 'Mallory';
      const stored = await h.store.users.get(user.id);
      expect(stored?.profile).toEqual({ plan: 'pro' });
      expect(stored?.phoneNumbers).not.toContain('+15555550100');
      expect(stored?.displayName).toBeUndefined();

      identity.userId = 'someone-else';
      const touched = await h.store.identities.touch(identity, { reference: { page: 'p1' } });
      (touched.reference as JsonObject).page = 'p2';
      expect(await h.store.identities.get(identity)).toMatchObject({
        userId: user.id,
        reference: { page: 'p1' },
      });

      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      thread.agentId = 'sales';
      expect((await h.store.threads.get(thread.id))?.agentId).toBe('support');
    });

    it('mutating a returned thread entry, or the appended input, does not change the thread', async () => {
      const user = await h.store.users.create({});
      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      const input = inbound(h.clock.date(), 'original', { metadata: { tag: 'a' } });
      const appended = await h.store.threads.append(thread.id, input);
      input.text = 'changed input';
      (input.metadata as JsonObject).tag = 'changed input';
      appended.text = 'changed result';
      const [read] = await h.store.threads.read(thread.id, { latest: 1 });
      if (read === undefined) throw new Error('entry missing');
      read.at.setTime(0);
      expect(await h.store.threads.read(thread.id, { latest: 1 })).toEqual([
        {
          ...inbound(h.clock.date(), 'original', { metadata: { tag: 'a' } }),
          threadId: thread.id,
          seq: 1,
        },
      ]);
    });

    it('mutating a returned delivery, job, held message, consent record or lease does not change the store', async () => {
      const { delivery } = await h.store.deliveries.create(newDelivery(h.clock));
      delivery.status = 'read';
      delivery.events.push({ status: 'read', at: h.clock.date(), source: 'host' });
      (delivery.payload as JsonObject).text = 'changed';
      const storedDelivery = await h.store.deliveries.get(delivery.id);
      expect(storedDelivery?.status).toBe('queued');
      expect(storedDelivery?.payload).toEqual({ text: 'Your order has shipped' });
      expect(storedDelivery?.events.some((event) => event.status === 'read')).toBe(false);

      const job = await h.store.jobs.define({
        id: 'digest',
        handler: 'digest',
        schedule: { type: 'cron', expression: '0 9 * * *' },
        scheduleKey: 'cron:0 9 * * *',
        data: { list: [1, 2] },
        nextRunAt: null,
      });
      (job.data as { list: number[] }).list.push(3);
      expect((await h.store.jobs.get('digest'))?.data).toEqual({ list: [1, 2] });

      const user = await h.store.users.create({});
      const held = await h.store.held.hold({
        userId: user.id,
        channel: 'whatsapp',
        deliveryId: delivery.id,
        heldAt: h.clock.date(),
      });
      held.channel = 'sms';
      expect((await h.store.held.list(user.id))[0]?.channel).toBe('whatsapp');

      const consent = await h.store.consent.record({
        channel: 'sms',
        address: PHONE_A,
        status: 'opted-out',
        at: h.clock.date(),
      });
      consent.status = 'opted-in';
      expect(await h.store.consent.isOptedOut({ channel: 'sms', address: PHONE_A })).toBe(true);

      await h.store.leases.acquire({ key: 'turn', owner: 'a', ttlMs: 1_000 });
      const holder = await h.store.leases.holder('turn');
      if (holder !== null) holder.owner = 'b';
      expect((await h.store.leases.holder('turn'))?.owner).toBe('a');
    });
  });
}
