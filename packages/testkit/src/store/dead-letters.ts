import type { DeadLetterStore, FailedInboundAttempt } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, MINUTE } from './fixtures';
import type { StoreHarness } from './harness';

/** `DeadLetterStore`: recordFailure, get, list. */
export function describeDeadLetters(h: StoreHarness, required: boolean): void {
  describe('dead letters', () => {
    if (!required) {
      it('are not offered (poison messages are answered 5xx on every retry)', () => {
        expect(h.store.deadLetters).toBeUndefined();
      });
      return;
    }

    function part(): DeadLetterStore {
      const store = h.store.deadLetters;
      if (store === undefined)
        throw new Error('store.deadLetters is missing (or pass deadLetters: false)');
      return store;
    }

    function attempt(
      id: string,
      overrides: Partial<FailedInboundAttempt & { maxAttempts: number }> = {},
    ) {
      return {
        adapterId: 'wa',
        providerMessageId: id,
        channel: 'whatsapp',
        at: h.clock.date(),
        error: { name: 'StoreError', code: 'store_failed', message: 'invalid byte sequence' },
        message: { text: 'poison', from: '+447700900001' },
        maxAttempts: 3,
        ...overrides,
      };
    }

    it('counts attempts, records the dead letter at the limit, and keeps counting after', async () => {
      const first = h.clock.date();
      expect(await part().recordFailure(attempt('wamid.1'))).toEqual({
        attempts: 1,
        deadLetter: null,
      });
      h.clock.advance(MINUTE);
      expect(await part().recordFailure(attempt('wamid.1'))).toEqual({
        attempts: 2,
        deadLetter: null,
      });
      expect(await part().get({ adapterId: 'wa', providerMessageId: 'wamid.1' })).toBeNull();
      h.clock.advance(MINUTE);
      const dead = await part().recordFailure(
        attempt('wamid.1', { error: { name: 'TypeError', message: 'third' } }),
      );
      const expected = {
        adapterId: 'wa',
        providerMessageId: 'wamid.1',
        channel: 'whatsapp',
        attempts: 3,
        firstFailedAt: first,
        deadAt: h.clock.date(),
        error: { name: 'TypeError', message: 'third' },
        message: { text: 'poison', from: '+447700900001' },
      };
      expect(dead).toEqual({ attempts: 3, deadLetter: expected });
      const deadAt = h.clock.date();
      h.clock.advance(MINUTE);
      expect(await part().recordFailure(attempt('wamid.1'))).toEqual({
        attempts: 4,
        deadLetter: { ...expected, attempts: 4, deadAt },
      });
      expect(await part().get({ adapterId: 'wa', providerMessageId: 'wamid.1' })).toEqual({
        ...expected,
        attempts: 4,
        deadAt,
      });
    });

    it('counts 10 concurrent failures of one message once each', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          part().recordFailure(attempt('wamid.storm', { maxAttempts: 10 })),
        ),
      );
      expect(results.map((result) => result.attempts).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 10 }, (_, index) => index + 1),
      );
      const dead = await part().get({ adapterId: 'wa', providerMessageId: 'wamid.storm' });
      expect(dead?.attempts).toBe(10);
    });

    it('keys are adapter and provider message id together', async () => {
      await part().recordFailure(attempt('wamid.1', { maxAttempts: 1 }));
      expect(
        await part().recordFailure(attempt('wamid.1', { adapterId: 'wa-2', maxAttempts: 2 })),
      ).toEqual({
        attempts: 1,
        deadLetter: null,
      });
      expect(await part().get({ adapterId: 'wa-2', providerMessageId: 'wamid.1' })).toBeNull();
      expect(await part().get({ adapterId: 'wa', providerMessageId: 'wamid.2' })).toBeNull();
    });

    it('list gives dead letters newest first, from `since`, at most `limit`', async () => {
      await part().recordFailure(attempt('wamid.0', { maxAttempts: 2 }));
      for (const id of ['wamid.1', 'wamid.2', 'wamid.3']) {
        await part().recordFailure(attempt(id, { maxAttempts: 1 }));
        h.clock.advance(MINUTE);
      }
      const ids = (list: { providerMessageId: string }[]) =>
        list.map((dead) => dead.providerMessageId);
      expect(ids(await part().list())).toEqual(['wamid.3', 'wamid.2', 'wamid.1']);
      expect(ids(await part().list({ limit: 2 }))).toEqual(['wamid.3', 'wamid.2']);
      expect(ids(await part().list({ since: new Date(h.clock.now() - 2 * MINUTE) }))).toEqual([
        'wamid.3',
        'wamid.2',
      ]);
      await expect(part().list({ limit: 0 })).rejects.toMatchObject(errorOf('validation'));
    });

    it('refuses a bad limit or attempt, counting nothing', async () => {
      await expect(
        part().recordFailure(attempt('wamid.1', { maxAttempts: 0 })),
      ).rejects.toMatchObject(errorOf('validation'));
      await expect(
        part().recordFailure(attempt('wamid.1', { at: new Date(Number.NaN) })),
      ).rejects.toMatchObject(errorOf('validation'));
      expect(await part().recordFailure(attempt('wamid.1'))).toMatchObject({ attempts: 1 });
    });
  });
}
