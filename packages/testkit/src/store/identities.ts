import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** `IdentityStore`: resolve, get, link, listByUser, touch. */
export function describeIdentities(h: StoreHarness): void {
  describe('identities', () => {
    it('resolve creates an identity and a user on first contact, then finds them', async () => {
      const first = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
        displayName: 'Ann',
      });
      expect(first).toMatchObject({ created: true, userCreated: true });
      expect(first.identity).toMatchObject({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
        userId: first.user.id,
        createdAt: h.clock.date(),
      });
      expect(first.user.displayName).toBe('Ann');
      expect(await h.store.users.get(first.user.id)).toEqual(first.user);

      const again = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      expect(again).toMatchObject({ created: false, userCreated: false });
      expect(again.identity).toEqual(first.identity);
      expect(again.user.id).toBe(first.user.id);
    });

    it('50 concurrent resolves of one new address create one identity and one user', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          h.store.identities.resolve({ channel: 'sms', address: PHONE_A, kind: 'phone' }),
        ),
      );
      expect(new Set(results.map((result) => result.user.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(results.filter((result) => result.userCreated)).toHaveLength(1);
      const userId = results[0]?.user.id ?? '';
      expect(await h.store.identities.listByUser(userId)).toHaveLength(1);
    });

    it('a phone identity on another channel with the same E.164 number joins the same user', async () => {
      const whatsapp = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      const sms = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      expect(sms).toMatchObject({ created: true, userCreated: false });
      expect(sms.user.id).toBe(whatsapp.user.id);
      const identities = await h.store.identities.listByUser(whatsapp.user.id);
      expect(identities.map((identity) => identity.channel).sort()).toEqual(['sms', 'whatsapp']);
    });

    it('concurrent first contacts from one number on two channels make one user', async () => {
      const [whatsapp, sms] = await Promise.all([
        h.store.identities.resolve({ channel: 'whatsapp', address: PHONE_A, kind: 'phone' }),
        h.store.identities.resolve({ channel: 'sms', address: PHONE_A, kind: 'phone' }),
      ]);
      expect(whatsapp?.user.id).toBe(sms?.user.id);
      expect([whatsapp?.userCreated, sms?.userCreated].filter(Boolean)).toHaveLength(1);
    });

    it('a user the host created with a phone number or email is found on first contact', async () => {
      const host = await h.store.users.create({
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
      });
      const whatsapp = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      const email = await h.store.identities.resolve({
        channel: 'email',
        address: 'Ann@Example.com',
        kind: 'email',
      });
      expect(whatsapp).toMatchObject({ created: true, userCreated: false });
      expect(whatsapp.user.id).toBe(host.id);
      expect(email).toMatchObject({ created: true, userCreated: false });
      expect(email.user.id).toBe(host.id);
    });

    it('channel-scoped addresses never join users by address', async () => {
      const webchat = await h.store.identities.resolve({
        channel: 'webchat',
        address: 'visitor-1',
        kind: 'channel',
      });
      const teams = await h.store.identities.resolve({
        channel: 'teams',
        address: 'visitor-1',
        kind: 'channel',
      });
      expect(teams.userCreated).toBe(true);
      expect(teams.user.id).not.toBe(webchat.user.id);
    });

    it('get returns the identity, or null for an unknown address', async () => {
      const { identity } = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      expect(await h.store.identities.get({ channel: 'sms', address: PHONE_A })).toEqual(identity);
      expect(await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A })).toBeNull();
      expect(await h.store.identities.get({ channel: 'sms', address: PHONE_B })).toBeNull();
    });

    it('link moves an identity to another user, keeping its window and reference', async () => {
      const { identity, user: before } = await h.store.identities.resolve({
        channel: 'webchat',
        address: 'visitor-7',
        kind: 'channel',
      });
      const inboundAt = h.clock.date();
      await h.store.identities.touch(identity, { inboundAt, reference: { socket: 'abc' } });
      const known = await h.store.users.create({ displayName: 'Ann' });

      const moved = await h.store.identities.link({
        channel: 'webchat',
        address: 'visitor-7',
        kind: 'channel',
        userId: known.id,
      });

      expect(moved).toMatchObject({
        userId: known.id,
        lastInboundAt: inboundAt,
        reference: { socket: 'abc' },
      });
      expect(await h.store.identities.listByUser(before.id)).toEqual([]);
      expect(await h.store.identities.listByUser(known.id)).toEqual([moved]);
      const resolved = await h.store.identities.resolve({
        channel: 'webchat',
        address: 'visitor-7',
        kind: 'channel',
      });
      expect(resolved.user.id).toBe(known.id);
    });

    it('link binds an address never seen before, and resolve then finds that user', async () => {
      const user = await h.store.users.create({});
      const linked = await h.store.identities.link({
        channel: 'teams',
        address: '29:1abc',
        kind: 'channel',
        userId: user.id,
      });
      expect(linked).toMatchObject({
        channel: 'teams',
        address: '29:1abc',
        kind: 'channel',
        userId: user.id,
      });
      const resolved = await h.store.identities.resolve({
        channel: 'teams',
        address: '29:1abc',
        kind: 'channel',
      });
      expect(resolved).toMatchObject({ created: false, userCreated: false });
      expect(resolved.user.id).toBe(user.id);
    });

    it('link throws NotFoundError for an unknown user', async () => {
      await expect(
        h.store.identities.link({
          channel: 'sms',
          address: PHONE_A,
          kind: 'phone',
          userId: 'ghost',
        }),
      ).rejects.toMatchObject(errorOf('not_found'));
    });

    it('listByUser lists every identity of a user and none of another', async () => {
      const ann = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_A,
        kind: 'phone',
      });
      await h.store.identities.resolve({ channel: 'whatsapp', address: PHONE_A, kind: 'phone' });
      await h.store.identities.resolve({ channel: 'sms', address: PHONE_B, kind: 'phone' });
      const listed = await h.store.identities.listByUser(ann.user.id);
      expect(listed.map((identity) => `${identity.channel}:${identity.address}`).sort()).toEqual([
        `sms:${PHONE_A}`,
        `whatsapp:${PHONE_A}`,
      ]);
      expect(await h.store.identities.listByUser('ghost')).toEqual([]);
    });

    it('touch moves inboundAt only forward: a late, older message never shortens the window', async () => {
      const key = { channel: 'whatsapp', address: PHONE_A };
      await h.store.identities.resolve({ ...key, kind: 'phone' });
      const t0 = h.clock.now();
      const later = new Date(t0 + 10 * MINUTE);
      expect((await h.store.identities.touch(key, { inboundAt: later })).lastInboundAt).toEqual(
        later,
      );
      const older = await h.store.identities.touch(key, { inboundAt: new Date(t0 + MINUTE) });
      expect(older.lastInboundAt).toEqual(later);
      const newest = new Date(t0 + 20 * MINUTE);
      expect((await h.store.identities.touch(key, { inboundAt: newest })).lastInboundAt).toEqual(
        newest,
      );
      expect((await h.store.identities.get(key))?.lastInboundAt).toEqual(newest);
    });

    it('touch replaces the adapter and reference, keeping what the update leaves out', async () => {
      const key = { channel: 'teams', address: '29:1abc' };
      await h.store.identities.resolve({ ...key, kind: 'channel' });
      await h.store.identities.touch(key, {
        adapterId: 'teams-a',
        reference: { conversation: { id: 'c1' } },
      });
      const second = await h.store.identities.touch(key, { adapterId: 'teams-b' });
      expect(second).toMatchObject({
        lastAdapterId: 'teams-b',
        reference: { conversation: { id: 'c1' } },
      });
      const third = await h.store.identities.touch(key, {
        reference: { conversation: { id: 'c2' } },
      });
      expect(third).toMatchObject({
        lastAdapterId: 'teams-b',
        reference: { conversation: { id: 'c2' } },
      });
      expect(await h.store.identities.get(key)).toEqual(third);
    });

    it('touch with reference null withdraws the reference (read back as null or absent)', async () => {
      const key = { channel: 'teams', address: '29:withdrawn' };
      await h.store.identities.resolve({ ...key, kind: 'channel' });
      await h.store.identities.touch(key, { reference: { conversation: { id: 'c1' } } });
      const touched = await h.store.identities.touch(key, { reference: null });
      expect(touched.reference ?? null).toBeNull();
      expect((await h.store.identities.get(key))?.reference ?? null).toBeNull();
    });

    it('touch throws NotFoundError for an unknown address', async () => {
      await expect(
        h.store.identities.touch(
          { channel: 'sms', address: PHONE_B },
          { inboundAt: h.clock.date() },
        ),
      ).rejects.toMatchObject(errorOf('not_found'));
    });
  });
}
