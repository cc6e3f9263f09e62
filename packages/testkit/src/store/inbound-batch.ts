import type {
  BatchOutcome,
  InboundLog,
  InboundRecorded,
  InboundRecordInput,
  InboundRecordResult,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, inboundInput, MINUTE, PHONE_A, PHONE_B, PHONE_C } from './fixtures';
import type { StoreHarness } from './harness';

/** The value of an `ok` outcome; fails the test (with the error) for a failed one. */
function value(outcome: BatchOutcome<InboundRecordResult> | undefined): InboundRecordResult {
  if (outcome === undefined) throw new Error('no outcome for this input');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

function recorded(outcome: BatchOutcome<InboundRecordResult> | undefined): InboundRecorded {
  const result = value(outcome);
  if (result.duplicate) throw new Error('expected the message to be recorded, got a duplicate');
  return result;
}

/**
 * `InboundLog.recordMany` (group commit): each input exactly as `record` would handle it, one
 * after another in input order (dedupe, first contact, repeats within the batch, consecutive
 * seqs on one thread), and an input `record` would reject fails alone with nothing of it written.
 * A store without it is declared `offered: false`; the core then records one by one.
 */
export function describeInboundBatch(h: StoreHarness, offered: boolean): void {
  describe('inbound: recordMany (group commit)', () => {
    if (!offered) {
      it('is not offered (the core records each message with record)', () => {
        expect(h.store.inbound?.recordMany).toBeUndefined();
      });
      return;
    }

    function recordMany(): NonNullable<InboundLog['recordMany']> {
      const method = h.store.inbound?.recordMany;
      if (method === undefined) throw new Error('store.inbound.recordMany is missing');
      return method.bind(h.store.inbound);
    }

    const message = (id: string, overrides: Parameters<typeof inboundInput>[2] = {}) =>
      inboundInput(h.clock, id, overrides);

    it('answers in input order: a first contact, its second message, and another sender', async () => {
      const inputs = [
        message('wamid.1', {
          sender: { channel: 'whatsapp', address: PHONE_A, kind: 'phone', displayName: 'Ann' },
          reference: { page: 'p1' },
        }),
        message('wamid.2'),
        message('wamid.3', { address: PHONE_B }),
      ];
      const outcomes = await recordMany()(inputs);
      expect(outcomes).toHaveLength(3);
      const [first, second, other] = outcomes.map(recorded) as [
        InboundRecorded,
        InboundRecorded,
        InboundRecorded,
      ];
      expect(first).toMatchObject({ created: true, userCreated: true, hasHeld: false });
      expect(first.user).toMatchObject({ displayName: 'Ann', phoneNumbers: [PHONE_A] });
      expect(first.entry).toEqual({ ...inputs[0]?.entry, threadId: first.thread.id, seq: 1 });
      // The second message finds what the first created, as a record after it would.
      expect(second).toMatchObject({ created: false, userCreated: false });
      expect(second.user.id).toBe(first.user.id);
      expect(second.thread.id).toBe(first.thread.id);
      expect(second.entry.seq).toBe(2);
      expect(second.identity.reference).toEqual({ page: 'p1' });
      expect(other).toMatchObject({ created: true, userCreated: true });
      expect(other.user.id).not.toBe(first.user.id);
      expect(other.entry.seq).toBe(1);

      expect(await h.store.threads.read(first.thread.id)).toEqual([first.entry, second.entry]);
      expect(await h.store.threads.read(other.thread.id)).toEqual([other.entry]);
      expect(await h.store.identities.get({ channel: 'whatsapp', address: PHONE_A })).toEqual(
        second.identity,
      );
      expect(await h.store.users.get(first.user.id)).toEqual(first.user);
    });

    it('messages for one thread take consecutive seqs in input order, after earlier entries', async () => {
      const before = await h.store.inbound?.record(message('wamid.0'));
      if (before === undefined || before.duplicate) throw new Error('expected a record');
      h.clock.advance(MINUTE);
      const ids = ['wamid.a', 'wamid.b', 'wamid.c', 'wamid.d'];
      const results = (await recordMany()(ids.map((id) => message(id, { text: id })))).map(
        recorded,
      );
      expect(results.map((result) => result.entry.seq)).toEqual([2, 3, 4, 5]);
      expect(results.map((result) => result.thread.id)).toEqual(ids.map(() => before.thread.id));
      const read = await h.store.threads.read(before.thread.id);
      expect(read.map((entry) => entry.text)).toEqual(['text of wamid.0', ...ids]);
      expect(results.at(-1)?.identity.lastInboundAt).toEqual(h.clock.date());
    });

    it('a key claimed before the batch, and a key repeated within it, are duplicates that change nothing', async () => {
      expect(await h.store.dedupe.claim('inbound:wa:wamid.taken', 10 * MINUTE)).toBe(true);
      const outcomes = await recordMany()([
        message('wamid.taken'),
        message('wamid.1'),
        message('wamid.1', { text: 'again' }),
        message('wamid.2'),
      ]);
      expect(value(outcomes[0])).toEqual({ duplicate: true });
      const first = recorded(outcomes[1]);
      expect(value(outcomes[2])).toEqual({ duplicate: true });
      const last = recorded(outcomes[3]);
      expect([first.entry.seq, last.entry.seq]).toEqual([1, 2]);
      expect((await h.store.threads.read(first.thread.id)).map((entry) => entry.text)).toEqual([
        'text of wamid.1',
        'text of wamid.2',
      ]);
      expect(await h.store.dedupe.claim('inbound:wa:wamid.1', 10 * MINUTE)).toBe(false);
    });

    it('an input record would reject fails alone: no claim, no user, no entry of its own', async () => {
      const badDate = message('wamid.bad', { address: PHONE_B });
      badDate.entry.at = new Date(Number.NaN);
      const outbound = message('wamid.out', { address: PHONE_C });
      outbound.entry.direction = 'outbound';
      const outcomes = await recordMany()([
        message('wamid.1'),
        badDate,
        outbound,
        message('wamid.2', { claimTtlMs: 0 }),
        message('wamid.3'),
      ]);
      expect(outcomes).toHaveLength(5);
      for (const index of [1, 2, 3]) {
        const outcome = outcomes[index];
        expect(outcome?.ok).toBe(false);
        if (outcome?.ok === false) expect(outcome.error).toMatchObject(errorOf('validation'));
      }
      const first = recorded(outcomes[0]);
      const last = recorded(outcomes[4]);
      expect([first.entry.seq, last.entry.seq]).toEqual([1, 2]);
      expect(await h.store.identities.get({ channel: 'whatsapp', address: PHONE_B })).toBeNull();
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_C })).toBeNull();
      expect(await h.store.threads.read(first.thread.id)).toEqual([first.entry, last.entry]);
      // The failed inputs' claims were not kept: the provider's retries record.
      for (const key of ['wamid.bad', 'wamid.out', 'wamid.2']) {
        expect(await h.store.dedupe.claim(`inbound:wa:${key}`, 10 * MINUTE)).toBe(true);
      }
    });

    it('answers each input as record would have, field for field', async () => {
      const batchInputs: InboundRecordInput[] = [
        message('wamid.1', { address: PHONE_A }),
        message('wamid.2', { address: PHONE_A }),
      ];
      const [first, second] = (await recordMany()(batchInputs)).map(recorded) as [
        InboundRecorded,
        InboundRecorded,
      ];
      h.clock.advance(MINUTE);
      const single = await h.store.inbound?.record(message('wamid.3', { address: PHONE_A }));
      if (single === undefined || single.duplicate) throw new Error('expected a record');
      // The same shapes and the same stored state a record gives, the identity moved on by one.
      expect(Object.keys(first).sort()).toEqual(Object.keys(single).sort());
      expect(second.user).toEqual(single.user);
      expect(second.thread.id).toBe(single.thread.id);
      expect(single.entry.seq).toBe(3);
      expect(await h.store.threads.read(first.thread.id)).toEqual([
        first.entry,
        second.entry,
        single.entry,
      ]);
    });
  });
}
