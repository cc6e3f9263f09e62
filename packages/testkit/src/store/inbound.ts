import type { InboundLog, InboundRecordInput, InboundRecordResult } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, inboundInput, MINUTE, oneTo, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** Ten minutes: a typical inbound dedupe window. */
const TTL = 10 * MINUTE;

/** `InboundLog`: record, all or nothing, exactly once under concurrency. */
export function describeInbound(h: StoreHarness, required: boolean): void {
  describe('inbound record', () => {
    if (!required) {
      it('is not offered (the core records with the per-part methods)', () => {
        expect(h.store.inbound).toBeUndefined();
      });
      return;
    }

    function log(): InboundLog {
      const part = h.store.inbound;
      if (part === undefined) throw new Error('store.inbound is missing (or pass inbound: false)');
      return part;
    }

    const message = (
      id: string,
      overrides: Parameters<typeof inboundInput>[2] = {},
    ): InboundRecordInput => inboundInput(h.clock, id, { claimTtlMs: TTL, ...overrides });

    function recorded(result: InboundRecordResult) {
      if (result.duplicate) throw new Error('expected the message to be recorded, got a duplicate');
      return result;
    }

    it('a first contact creates the user, identity and thread, appends seq 1 and touches the identity', async () => {
      const input = message('wamid.1', {
        sender: { channel: 'whatsapp', address: PHONE_A, kind: 'phone', displayName: 'Ann' },
        reference: { phoneNumberId: '1065' },
      });
      const result = recorded(await log().record(input));
      expect(result).toMatchObject({
        duplicate: false,
        created: true,
        userCreated: true,
        hasHeld: false,
      });
      expect(result.user).toMatchObject({ displayName: 'Ann', phoneNumbers: [PHONE_A] });
      expect(result.identity).toMatchObject({
        channel: 'whatsapp',
        address: PHONE_A,
        userId: result.user.id,
        lastInboundAt: h.clock.date(),
        lastAdapterId: 'wa',
        reference: { phoneNumberId: '1065' },
      });
      expect(result.thread).toMatchObject({ userId: result.user.id, agentId: 'support' });
      expect(result.entry).toEqual({ ...input.entry, threadId: result.thread.id, seq: 1 });

      expect(await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A })).toEqual(
        result.identity,
      );
      expect(await h.store.users.get(result.user.id)).toEqual(result.user);
      expect(await h.store.threads.ensure({ userId: result.user.id, agentId: 'support' })).toEqual(
        result.thread,
      );
      expect(await h.store.threads.read(result.thread.id)).toEqual([result.entry]);
    });

    it('a returning sender gets the next seq; lastInboundAt only moves forward; reference is kept unless given', async () => {
      const first = recorded(await log().record(message('wamid.1', { reference: { page: 'p1' } })));
      h.clock.advance(MINUTE);
      const second = recorded(await log().record(message('wamid.2')));
      expect(second).toMatchObject({ created: false, userCreated: false });
      expect(second.user.id).toBe(first.user.id);
      expect(second.thread.id).toBe(first.thread.id);
      expect(second.entry.seq).toBe(2);
      expect(second.identity.lastInboundAt).toEqual(h.clock.date());
      expect(second.identity.reference).toEqual({ page: 'p1' });

      // A late webhook for an older message is recorded, but never shortens the window.
      const late = message('wamid.0', { reference: { page: 'p2' } });
      late.entry.at = new Date(h.clock.now() - 5 * MINUTE);
      const third = recorded(await log().record(late));
      expect(third.entry.seq).toBe(3);
      expect(third.identity.lastInboundAt).toEqual(h.clock.date());
      expect(third.identity.reference).toEqual({ page: 'p2' });
    });

    it('a first contact from a number the host already gave a user joins that user', async () => {
      const known = await h.store.users.create({ phoneNumbers: [PHONE_B] });
      const result = recorded(await log().record(message('wamid.1', { address: PHONE_B })));
      expect(result).toMatchObject({ created: true, userCreated: false });
      expect(result.user.id).toBe(known.id);
    });

    it('a duplicate changes nothing, and shares its claims with dedupe', async () => {
      const first = recorded(await log().record(message('wamid.1')));
      h.clock.advance(MINUTE);
      expect(await log().record(message('wamid.1', { text: 'again' }))).toEqual({
        duplicate: true,
      });
      expect(await h.store.dedupe.claim('inbound:wa:wamid.1', TTL)).toBe(false);
      const identity = await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A });
      expect(identity?.lastInboundAt).toEqual(first.identity.lastInboundAt);
      expect(await h.store.threads.read(first.thread.id)).toEqual([first.entry]);

      expect(await h.store.dedupe.claim('inbound:wa:wamid.2', TTL)).toBe(true);
      expect(await log().record(message('wamid.2'))).toEqual({ duplicate: true });
    });

    it('after the claim expires the same key records again', async () => {
      recorded(await log().record(message('wamid.1')));
      h.clock.advance(TTL + 1);
      expect(recorded(await log().record(message('wamid.1'))).entry.seq).toBe(2);
    });

    it('20 concurrent calls with one key: exactly one records', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => log().record(message('wamid.storm'))),
      );
      const winners = results.filter((result) => !result.duplicate);
      expect(winners).toHaveLength(1);
      const winner = recorded(winners[0] as InboundRecordResult);
      expect(await h.store.threads.read(winner.thread.id)).toEqual([winner.entry]);
    });

    it('10 concurrent first messages of one new sender: one user, one identity, one thread, seqs 1..10', async () => {
      const results = (
        await Promise.all(
          Array.from({ length: 10 }, (_, index) => log().record(message(`wamid.${index}`))),
        )
      ).map(recorded);
      expect(new Set(results.map((result) => result.user.id)).size).toBe(1);
      expect(new Set(results.map((result) => result.thread.id)).size).toBe(1);
      expect(results.filter((result) => result.userCreated)).toHaveLength(1);
      expect(results.map((result) => result.entry.seq).sort((a, b) => a - b)).toEqual(oneTo(10));
      const userId = (results[0] as { user: { id: string } }).user.id;
      expect(await h.store.identities.listByUser(userId)).toHaveLength(1);
    });

    it('answers whether a message is held for the user on that channel, and releases nothing', async () => {
      const first = recorded(await log().record(message('wamid.1')));
      await h.store.held.hold({
        userId: first.user.id,
        channel: 'sms',
        deliveryId: 'd-sms',
        heldAt: h.clock.date(),
      });
      expect(recorded(await log().record(message('wamid.2'))).hasHeld).toBe(false);
      await h.store.held.hold({
        userId: first.user.id,
        channel: 'whatsapp',
        deliveryId: 'd-wa',
        heldAt: h.clock.date(),
      });
      expect(recorded(await log().record(message('wamid.3'))).hasHeld).toBe(true);
      expect(await h.store.held.list(first.user.id)).toHaveLength(2);
    });

    it('a rejected call leaves no side effect: no claim, no touch, no entry, no user', async () => {
      const first = recorded(await log().record(message('wamid.1')));
      h.clock.advance(MINUTE);
      const badDate = message('wamid.2');
      badDate.entry.at = new Date(Number.NaN);
      await expect(log().record(badDate)).rejects.toMatchObject(errorOf('validation'));
      const outbound = message('wamid.2');
      outbound.entry.direction = 'outbound';
      await expect(log().record(outbound)).rejects.toMatchObject(errorOf('validation'));
      const newcomer = message('wamid.3', { address: PHONE_B, claimTtlMs: 0 });
      await expect(log().record(newcomer)).rejects.toMatchObject(errorOf('validation'));

      const identity = await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A });
      expect(identity?.lastInboundAt).toEqual(first.identity.lastInboundAt);
      expect(await h.store.threads.read(first.thread.id)).toEqual([first.entry]);
      expect(await h.store.identities.get({ channel: 'whatsapp', address: PHONE_B })).toBeNull();
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_B })).toBeNull();
      // The claims were not kept: the provider's retries record.
      expect(recorded(await log().record(message('wamid.2'))).entry.seq).toBe(2);
      expect(await h.store.dedupe.claim('inbound:wa:wamid.3', TTL)).toBe(true);
    });

    it('returns copies: changing a result changes nothing stored', async () => {
      const first = recorded(await log().record(message('wamid.1')));
      first.user.phoneNumbers.push('+15555550100');
      first.identity.lastAdapterId = 'mallory';
      (
        first.entry.metadata as { extra: { referral: { source_id: string } } }
      ).extra.referral.source_id = 'x';
      expect((await h.store.users.get(first.user.id))?.phoneNumbers).toEqual([PHONE_A]);
      const [entry] = await h.store.threads.read(first.thread.id);
      expect(entry?.metadata).toEqual({ extra: { referral: { source_id: 'ad-1' } } });
      const identity = await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A });
      expect(identity?.lastAdapterId).toBe('wa');
    });
  });
}
