import { describe, expect, it } from 'vitest';
import { inbound, newDelivery, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** `PrivacyStore`: exportUser, eraseUser. */
export function describePrivacy(h: StoreHarness): void {
  /** A user who wrote on SMS and WhatsApp, with a thread, two deliveries, a held message, consent. */
  async function person(phone: string, name: string) {
    const { user } = await h.store.identities.resolve({
      channel: 'sms',
      address: phone,
      kind: 'phone',
      displayName: name,
    });
    await h.store.identities.resolve({ channel: 'whatsapp', address: phone, kind: 'phone' });
    const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
    await h.store.threads.append(thread.id, inbound(h.clock.date(), `hello from ${name}`));
    await h.store.threads.append(thread.id, {
      direction: 'outbound',
      at: h.clock.date(),
      text: `hi ${name}`,
    });
    await h.store.threads.append(thread.id, inbound(h.clock.date(), `bye from ${name}`));
    const sent = await h.store.deliveries.create(
      newDelivery(h.clock, {
        userId: user.id,
        threadId: thread.id,
        recipient: phone,
        idempotencyKey: `key-${name}`,
      }),
    );
    const parked = await h.store.deliveries.create(
      newDelivery(h.clock, {
        userId: user.id,
        channel: 'whatsapp',
        recipient: phone,
        nextAttemptAt: null,
      }),
    );
    await h.store.held.hold({
      userId: user.id,
      channel: 'whatsapp',
      deliveryId: parked.delivery.id,
      heldAt: h.clock.date(),
    });
    await h.store.consent.record({
      channel: 'sms',
      address: phone,
      status: 'opted-out',
      at: h.clock.date(),
      keyword: 'STOP',
    });
    return { user, thread, deliveryIds: [sent.delivery.id, parked.delivery.id] };
  }

  describe('privacy', () => {
    it('exportUser returns everything about the user and nothing of anyone else, as JSON', async () => {
      const ann = await person(PHONE_A, 'Ann');
      await person(PHONE_B, 'Bob');
      const data = await h.store.privacy.exportUser(ann.user.id);
      expect(data?.user).toMatchObject({ id: ann.user.id, displayName: 'Ann' });
      expect(data?.identities.map((identity) => identity.channel).sort()).toEqual([
        'sms',
        'whatsapp',
      ]);
      expect(data?.threads).toHaveLength(1);
      expect(data?.threads[0]?.thread.id).toBe(ann.thread.id);
      expect(data?.threads[0]?.entries.map((entry) => entry.text)).toEqual([
        'hello from Ann',
        'hi Ann',
        'bye from Ann',
      ]);
      expect(data?.deliveries.map((delivery) => delivery.id).sort()).toEqual(
        [...ann.deliveryIds].sort(),
      );
      expect(data?.held.map((message) => message.deliveryId)).toEqual([ann.deliveryIds[1]]);
      expect(data?.consent).toEqual([
        {
          channel: 'sms',
          address: PHONE_A,
          status: 'opted-out',
          at: h.clock.date(),
          keyword: 'STOP',
        },
      ]);
      const json = JSON.stringify(data);
      expect(JSON.parse(json).user.id).toBe(ann.user.id);
      expect(json).not.toContain(PHONE_B);
      expect(json).not.toContain('Bob');
    });

    it('exportUser returns null for an unknown user', async () => {
      expect(await h.store.privacy.exportUser('ghost')).toBeNull();
    });

    it('eraseUser removes the user with identities, threads, entries, deliveries and held messages, and counts them', async () => {
      const ann = await person(PHONE_A, 'Ann');
      const report = await h.store.privacy.eraseUser(ann.user.id);
      expect(report).toEqual({
        userId: ann.user.id,
        identities: 2,
        threads: 1,
        entries: 3,
        deliveries: 2,
        held: 1,
        // A store with `turns` counts its pending turns too (see privacy-turns.ts).
        ...(h.store.turns === undefined ? {} : { turns: 0 }),
      });
      expect(await h.store.users.get(ann.user.id)).toBeNull();
      expect(await h.store.identities.get({ channel: 'sms', address: PHONE_A })).toBeNull();
      expect(await h.store.identities.listByUser(ann.user.id)).toEqual([]);
      expect(await h.store.threads.get(ann.thread.id)).toBeNull();
      expect(await h.store.threads.listByUser(ann.user.id)).toEqual([]);
      for (const id of ann.deliveryIds) expect(await h.store.deliveries.get(id)).toBeNull();
      expect(await h.store.deliveries.getByIdempotencyKey('key-Ann')).toBeNull();
      expect(await h.store.deliveries.list({ userId: ann.user.id })).toEqual([]);
      expect(await h.store.held.list(ann.user.id)).toEqual([]);
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_A })).toBeNull();
      expect(await h.store.privacy.exportUser(ann.user.id)).toBeNull();
    });

    it('eraseUser keeps consent records: the suppression list outlives the data', async () => {
      const ann = await person(PHONE_A, 'Ann');
      await h.store.privacy.eraseUser(ann.user.id);
      expect(await h.store.consent.isOptedOut({ channel: 'sms', address: PHONE_A })).toBe(true);
      const again = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      expect(again).toMatchObject({ created: true, userCreated: true });
      expect(again.user.id).not.toBe(ann.user.id);
    });

    it("eraseUser frees the user's contact points: a new user may take them", async () => {
      const ann = await h.store.users.create({
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
      });
      await h.store.privacy.eraseUser(ann.id);
      const next = await h.store.users.create({ phoneNumbers: [PHONE_A] });
      await h.store.users.addContact(next.id, { kind: 'email', value: 'ann@example.com' });
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_A }))?.id).toBe(
        next.id,
      );
      expect(
        (await h.store.users.findByContact({ kind: 'email', value: 'ann@example.com' }))?.id,
      ).toBe(next.id);
    });

    it('eraseUser leaves other users untouched', async () => {
      const ann = await person(PHONE_A, 'Ann');
      const bob = await person(PHONE_B, 'Bob');
      const before = await h.store.privacy.exportUser(bob.user.id);
      await h.store.privacy.eraseUser(ann.user.id);
      expect(await h.store.privacy.exportUser(bob.user.id)).toEqual(before);
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_B }))?.id).toBe(
        bob.user.id,
      );
      expect(await h.store.deliveries.getByIdempotencyKey('key-Bob')).not.toBeNull();
    });

    it('eraseUser returns null for an unknown user', async () => {
      expect(await h.store.privacy.eraseUser('ghost')).toBeNull();
    });
  });
}
