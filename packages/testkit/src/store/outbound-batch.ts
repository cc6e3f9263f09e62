import type { OutboundLookup } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { outcomeValue, PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `OutboundLookup.recipientMany` (group commit for the policy reads of sends): each input answered
 * as `recipient` would answer it alone, in input order. Declared with the suite's
 * `outboundBatches` option: `false` checks that the store leaves it out (the core then looks each
 * recipient up with `recipient`).
 */
export function describeOutboundBatch(h: StoreHarness, offered: boolean): void {
  describe('outbound.recipientMany (group commit)', () => {
    if (!offered) {
      it('is not offered (the core looks each recipient up with recipient)', () => {
        expect(h.store.outbound?.recipientMany).toBeUndefined();
      });
      return;
    }

    function recipientMany(): NonNullable<OutboundLookup['recipientMany']> {
      const part = h.store.outbound;
      const method = part?.recipientMany;
      if (part === undefined || method === undefined) {
        throw new Error('store.outbound.recipientMany is missing');
      }
      return method.bind(part);
    }

    it('answers each input as recipient would, in input order', async () => {
      const known = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: PHONE_A,
        kind: 'phone',
      });
      const thread = await h.store.threads.ensure({ userId: known.user.id, agentId: 'support' });
      await h.store.identities.resolve({ channel: 'sms', address: PHONE_B, kind: 'phone' });
      await h.store.consent.record({
        channel: 'sms',
        address: PHONE_B,
        status: 'opted-out',
        at: h.clock.date(),
      });
      const outcomes = await recipientMany()([
        { channel: 'sms', address: PHONE_B, agentId: 'support' },
        { channel: 'sms', address: PHONE_C, agentId: 'support' },
        { channel: 'whatsapp', address: PHONE_A, agentId: 'support' },
        { channel: 'whatsapp', address: PHONE_A, agentId: 'sales' },
        { channel: 'sms', address: PHONE_B, agentId: 'support' },
      ]);
      expect(outcomes).toHaveLength(5);
      const [optedOut, unknown, withThread, otherAgent, repeat] = outcomes.map(outcomeValue);
      expect(optedOut).toEqual({
        identity: await h.store.identities.get({ channel: 'sms', address: PHONE_B }),
        optedOut: true,
        thread: null,
      });
      expect(unknown).toBeNull();
      expect(withThread).toEqual({ identity: known.identity, optedOut: false, thread });
      expect(otherAgent).toEqual({ identity: known.identity, optedOut: false, thread: null });
      expect(repeat).toEqual(optedOut);
      // An unknown address without create is left unknown.
      expect(await h.store.identities.get({ channel: 'sms', address: PHONE_C })).toBeNull();
    });

    it('resolves first contacts with create, once per address, and makes no thread', async () => {
      const owner = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      const create = { kind: 'phone' } as const;
      const outcomes = await recipientMany()([
        { channel: 'sms', address: PHONE_B, agentId: 'support', create },
        { channel: 'sms', address: PHONE_C, agentId: 'support', create },
        { channel: 'sms', address: PHONE_C, agentId: 'support', create },
      ]);
      const [linked, cold, again] = outcomes.map(outcomeValue);
      expect(linked).toMatchObject({
        identity: { channel: 'sms', address: PHONE_B, kind: 'phone', userId: owner.id },
        optedOut: false,
        thread: null,
      });
      expect(cold?.identity).toEqual(
        await h.store.identities.get({ channel: 'sms', address: PHONE_C }),
      );
      expect(again?.identity).toEqual(cold?.identity);
      expect(await h.store.threads.listByUser(owner.id)).toEqual([]);
      // The same answers the single lookup gives now.
      const single = h.store.outbound?.recipient.bind(h.store.outbound);
      expect(await single?.({ channel: 'sms', address: PHONE_C, agentId: 'support' })).toEqual(
        cold,
      );
    });

    it('answers an empty batch with no outcomes', async () => {
      expect(await recipientMany()([])).toEqual([]);
    });
  });
}
