import type { OutboundLookup } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { MINUTE, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `OutboundLookup.recipient`: the same answers as `identities.resolve` (or `get`),
 * `consent.isOptedOut` and the user's thread, read in one step. `offered: false` checks that the
 * store leaves the part out (the core then reads them one by one).
 */
export function describeOutbound(h: StoreHarness, offered: boolean): void {
  describe('outbound.recipient', () => {
    if (!offered) {
      it('is not offered (the core reads identity, consent and thread apart)', () => {
        expect(h.store.outbound).toBeUndefined();
      });
      return;
    }

    function lookup(): OutboundLookup['recipient'] {
      const part = h.store.outbound;
      if (part === undefined) throw new Error('store.outbound is missing');
      return part.recipient.bind(part);
    }

    it('answers a known address with its identity, no opt-out and its thread with the agent', async () => {
      const { identity, user } = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      await h.store.identities.touch(
        { channel: 'whatsapp', address: PHONE_A },
        { inboundAt: h.clock.date(), adapterId: 'wa-1' },
      );
      await h.store.threads.ensure({ userId: user.id, agentId: 'sales' });
      const key = { channel: 'whatsapp', address: PHONE_A };
      const before = await lookup()({ ...key, agentId: 'support' });
      expect(before).toEqual({
        identity: await h.store.identities.get(key),
        optedOut: false,
        thread: null,
      });
      expect(before?.identity.userId).toBe(identity.userId);
      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      const after = await lookup()({ ...key, agentId: 'support', create: { kind: 'phone' } });
      expect(after?.thread).toEqual(thread);
      expect(after?.identity).toEqual(before?.identity);
    });

    it('reads the address’s latest consent decision', async () => {
      const key = { channel: 'sms', address: PHONE_A };
      await h.store.identities.resolve({ ...key, kind: 'phone' });
      const optedOut = async () => (await lookup()({ ...key, agentId: 'support' }))?.optedOut;
      await h.store.consent.record({ ...key, status: 'opted-out', at: h.clock.date() });
      expect(await optedOut()).toBe(true);
      h.clock.advance(MINUTE);
      await h.store.consent.record({ ...key, status: 'opted-in', at: h.clock.date() });
      expect(await optedOut()).toBe(false);
      // Another channel's opt-out of the same number is another address's decision.
      await h.store.consent.record({
        channel: 'whatsapp',
        address: PHONE_A,
        status: 'opted-out',
        at: h.clock.date(),
      });
      expect(await optedOut()).toBe(false);
    });

    it('answers null for an unknown address without create, and creates nothing', async () => {
      const key = { channel: 'sms', address: PHONE_B };
      expect(await lookup()({ ...key, agentId: 'support' })).toBeNull();
      expect(await h.store.identities.get(key)).toBeNull();
    });

    it('with create resolves a first contact as identities.resolve does, and makes no thread', async () => {
      const owner = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      const found = await lookup()({
        channel: 'sms',
        address: PHONE_B,
        agentId: 'support',
        create: { kind: 'phone' },
      });
      expect(found).toMatchObject({
        identity: { channel: 'sms', address: PHONE_B, kind: 'phone', userId: owner.id },
        optedOut: false,
        thread: null,
      });
      expect(await h.store.identities.get({ channel: 'sms', address: PHONE_B })).toEqual(
        found?.identity,
      );
      expect(await h.store.threads.listByUser(owner.id)).toEqual([]);
      const cold = await lookup()({
        channel: 'sms',
        address: PHONE_A,
        agentId: 'support',
        create: { kind: 'phone' },
      });
      const again = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      expect(again.user.id).toBe(cold?.identity.userId);
    });
  });
}
