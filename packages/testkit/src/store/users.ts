import { describe, expect, it } from 'vitest';
import { errorOf, inbound, MINUTE, newDelivery, PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';

/** `UserStore`: create, get, findByContact, update, addContact, merge. */
export function describeUsers(h: StoreHarness): void {
  describe('users', () => {
    it('creates a user with contact points and profile, and gets it by id', async () => {
      const user = await h.store.users.create({
        displayName: 'Ann',
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
        profile: { plan: 'pro' },
      });
      expect(user).toMatchObject({
        displayName: 'Ann',
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
        profile: { plan: 'pro' },
        createdAt: h.clock.date(),
        updatedAt: h.clock.date(),
      });
      expect(typeof user.id).toBe('string');
      expect(await h.store.users.get(user.id)).toEqual(user);
    });

    it('creates a user with empty contact lists and profile when none are given', async () => {
      const user = await h.store.users.create({});
      expect(user).toMatchObject({ phoneNumbers: [], emails: [], profile: {} });
    });

    it('uses the id the host gives, and refuses one that exists', async () => {
      const user = await h.store.users.create({ id: 'crm-42' });
      expect(user.id).toBe('crm-42');
      expect((await h.store.users.get('crm-42'))?.id).toBe('crm-42');
      await expect(h.store.users.create({ id: 'crm-42' })).rejects.toMatchObject(
        errorOf('validation'),
      );
    });

    it('get returns null for an unknown user', async () => {
      expect(await h.store.users.get('no-such-user')).toBeNull();
    });

    it('finds a user by phone number and by email, whatever the email case', async () => {
      const user = await h.store.users.create({
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
      });
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_A }))?.id).toBe(
        user.id,
      );
      expect(
        (await h.store.users.findByContact({ kind: 'email', value: 'Ann@Example.COM' }))?.id,
      ).toBe(user.id);
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_B })).toBeNull();
      expect(
        await h.store.users.findByContact({ kind: 'email', value: 'bob@example.com' }),
      ).toBeNull();
    });

    it('refuses a contact point another user owns, on create and on addContact', async () => {
      const ann = await h.store.users.create({
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
      });
      const bob = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      await expect(h.store.users.create({ phoneNumbers: [PHONE_A] })).rejects.toMatchObject(
        errorOf('validation'),
      );
      await expect(h.store.users.create({ emails: ['ANN@example.com'] })).rejects.toMatchObject(
        errorOf('validation'),
      );
      await expect(
        h.store.users.addContact(bob.id, { kind: 'phone', value: PHONE_A }),
      ).rejects.toMatchObject(errorOf('validation'));
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_A }))?.id).toBe(
        ann.id,
      );
      expect((await h.store.users.get(bob.id))?.phoneNumbers).toEqual([PHONE_B]);
    });

    it('refuses a phone number that is not E.164 and an email that is not an address', async () => {
      await expect(h.store.users.create({ phoneNumbers: ['call me maybe'] })).rejects.toMatchObject(
        errorOf('validation'),
      );
      await expect(h.store.users.create({ emails: ['not-an-email'] })).rejects.toMatchObject(
        errorOf('validation'),
      );
    });

    it('update changes the display name, replaces the profile and moves updatedAt', async () => {
      const user = await h.store.users.create({
        displayName: 'Ann',
        profile: { plan: 'pro', tz: 'UTC' },
      });
      h.clock.advance(MINUTE);
      const updated = await h.store.users.update(user.id, {
        displayName: 'Ann B',
        profile: { plan: 'free' },
      });
      expect(updated).toMatchObject({ displayName: 'Ann B', profile: { plan: 'free' } });
      expect(updated.profile).not.toHaveProperty('tz');
      expect(updated.createdAt).toEqual(user.createdAt);
      expect(updated.updatedAt).toEqual(h.clock.date());
      expect(await h.store.users.get(user.id)).toEqual(updated);
    });

    it('update of only the display name keeps the profile', async () => {
      const user = await h.store.users.create({ profile: { plan: 'pro' } });
      const updated = await h.store.users.update(user.id, { displayName: 'Ann' });
      expect(updated).toMatchObject({ displayName: 'Ann', profile: { plan: 'pro' } });
    });

    it('update and addContact throw NotFoundError for an unknown user', async () => {
      await expect(h.store.users.update('ghost', { displayName: 'x' })).rejects.toMatchObject(
        errorOf('not_found'),
      );
      await expect(
        h.store.users.addContact('ghost', { kind: 'phone', value: PHONE_A }),
      ).rejects.toMatchObject(errorOf('not_found'));
    });

    it('addContact adds a phone number or email, idempotently for the same user', async () => {
      const user = await h.store.users.create({});
      await h.store.users.addContact(user.id, { kind: 'phone', value: PHONE_A });
      await h.store.users.addContact(user.id, { kind: 'phone', value: PHONE_A });
      const after = await h.store.users.addContact(user.id, {
        kind: 'email',
        value: 'ann@example.com',
      });
      expect(after.phoneNumbers).toEqual([PHONE_A]);
      expect(after.emails).toEqual(['ann@example.com']);
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_A }))?.id).toBe(
        user.id,
      );
    });

    it('merge moves identities, contact points, deliveries and held messages, and deletes the source', async () => {
      const into = await h.store.users.create({ displayName: 'Ann', phoneNumbers: [PHONE_A] });
      const from = await h.store.users.create({
        phoneNumbers: [PHONE_B],
        emails: ['ann@work.example'],
      });
      await h.store.identities.link({
        channel: 'sms',
        address: PHONE_B,
        kind: 'phone',
        userId: from.id,
      });
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: from.id }),
      );
      const held = await h.store.held.hold({
        userId: from.id,
        channel: 'whatsapp',
        deliveryId: delivery.id,
        heldAt: h.clock.date(),
      });

      const merged = await h.store.users.merge({ into: into.id, from: from.id });

      expect(merged.id).toBe(into.id);
      expect(merged.displayName).toBe('Ann');
      expect([...merged.phoneNumbers].sort()).toEqual([PHONE_A, PHONE_B]);
      expect(merged.emails).toEqual(['ann@work.example']);
      expect(await h.store.users.get(from.id)).toBeNull();
      expect((await h.store.users.findByContact({ kind: 'phone', value: PHONE_B }))?.id).toBe(
        into.id,
      );
      expect((await h.store.identities.get({ channel: 'sms', address: PHONE_B }))?.userId).toBe(
        into.id,
      );
      expect(await h.store.identities.listByUser(from.id)).toEqual([]);
      expect((await h.store.deliveries.get(delivery.id))?.userId).toBe(into.id);
      expect(await h.store.held.list(into.id)).toEqual([{ ...held, userId: into.id }]);
      expect(await h.store.held.list(from.id)).toEqual([]);
    });

    it("merge keeps the target's name and profile values, taking the source's only where it has none", async () => {
      const named = await h.store.users.create({ displayName: 'Ann', profile: { plan: 'pro' } });
      const other = await h.store.users.create({
        displayName: 'Annie',
        profile: { plan: 'free', locale: 'en-GB' },
      });
      const kept = await h.store.users.merge({ into: named.id, from: other.id });
      expect(kept).toMatchObject({ displayName: 'Ann', profile: { plan: 'pro', locale: 'en-GB' } });

      const unnamed = await h.store.users.create({});
      const source = await h.store.users.create({ displayName: 'Bo', profile: { plan: 'team' } });
      const filled = await h.store.users.merge({ into: unnamed.id, from: source.id });
      expect(filled).toMatchObject({ displayName: 'Bo', profile: { plan: 'team' } });
      expect(await h.store.users.get(unnamed.id)).toMatchObject({
        displayName: 'Bo',
        profile: { plan: 'team' },
      });
    });

    it('merge joins same-agent threads in time order, re-numbered 1..n, and moves the others', async () => {
      const into = await h.store.users.create({ phoneNumbers: [PHONE_A] });
      const from = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      const kept = await h.store.threads.ensure({ userId: into.id, agentId: 'support' });
      const joined = await h.store.threads.ensure({ userId: from.id, agentId: 'support' });
      const other = await h.store.threads.ensure({ userId: from.id, agentId: 'sales' });
      const t0 = h.clock.now();
      const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
      await h.store.threads.append(kept.id, inbound(at(1), 'one'));
      await h.store.threads.append(joined.id, inbound(at(2), 'two'));
      await h.store.threads.append(kept.id, inbound(at(3), 'three'));
      await h.store.threads.append(joined.id, inbound(at(4), 'four'));
      await h.store.threads.append(other.id, inbound(at(5), 'sales question'));
      const { delivery } = await h.store.deliveries.create(
        newDelivery(h.clock, { userId: from.id, threadId: joined.id }),
      );

      await h.store.users.merge({ into: into.id, from: from.id });

      const entries = await h.store.threads.read(kept.id, { after: 0, limit: 100 });
      expect(entries.map((entry) => entry.text)).toEqual(['one', 'two', 'three', 'four']);
      expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
      expect(entries.every((entry) => entry.threadId === kept.id)).toBe(true);
      expect(await h.store.threads.get(joined.id)).toBeNull();
      const threads = await h.store.threads.listByUser(into.id);
      expect(threads.map((thread) => thread.agentId).sort()).toEqual(['sales', 'support']);
      expect((await h.store.threads.get(other.id))?.userId).toBe(into.id);
      expect((await h.store.threads.ensure({ userId: into.id, agentId: 'support' })).id).toBe(
        kept.id,
      );
      expect((await h.store.threads.ensure({ userId: into.id, agentId: 'sales' })).id).toBe(
        other.id,
      );
      expect((await h.store.deliveries.get(delivery.id))?.threadId).toBe(kept.id);
      const next = await h.store.threads.append(kept.id, inbound(at(6), 'five'));
      expect(next.seq).toBe(5);
    });

    it('the merged thread began when the earlier of the two began', async () => {
      const into = await h.store.users.create({ phoneNumbers: [PHONE_A] });
      const from = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      // support: the source's thread is the older; sales: the target's is.
      const older = await h.store.threads.ensure({ userId: from.id, agentId: 'support' });
      const sales = await h.store.threads.ensure({ userId: into.id, agentId: 'sales' });
      h.clock.advance(MINUTE);
      const support = await h.store.threads.ensure({ userId: into.id, agentId: 'support' });
      await h.store.threads.ensure({ userId: from.id, agentId: 'sales' });

      await h.store.users.merge({ into: into.id, from: from.id });

      expect((await h.store.threads.get(support.id))?.createdAt).toEqual(older.createdAt);
      expect((await h.store.threads.get(sales.id))?.createdAt).toEqual(sales.createdAt);
    });

    it('merge throws NotFoundError for an unknown user and refuses merging a user into itself', async () => {
      const user = await h.store.users.create({ phoneNumbers: [PHONE_C] });
      await expect(h.store.users.merge({ into: user.id, from: 'ghost' })).rejects.toMatchObject(
        errorOf('not_found'),
      );
      await expect(h.store.users.merge({ into: 'ghost', from: user.id })).rejects.toMatchObject(
        errorOf('not_found'),
      );
      await expect(h.store.users.merge({ into: user.id, from: user.id })).rejects.toMatchObject(
        errorOf('validation'),
      );
      expect(await h.store.users.get(user.id)).not.toBeNull();
    });
  });
}
