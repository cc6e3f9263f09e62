import { type OutboundEnvelope, parseMessage, SendTimeoutError } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import type { AdapterFixtures } from './fixtures';
import type { SuiteHarness } from './harness';

/**
 * Registers the abort test for an adapter that declares `outbound.honoursAbort`: `send` with an
 * already-aborted signal (the outbox's send timeout) rejects with the signal's reason and the
 * provider receives nothing. Additive: adapters that do not declare it are not tested.
 */
export function describeAbort(fixtures: AdapterFixtures, harness: SuiteHarness): void {
  if (fixtures.outbound.honoursAbort !== true) return;
  const { recipient, provider } = fixtures.outbound;

  describe('outbound abort', () => {
    it('send with an aborted signal rejects with its reason and sends nothing', async () => {
      await provider.accept();
      const text = 'Never sent: the outbox stopped waiting.';
      const envelope: OutboundEnvelope = {
        deliveryId: 'conformance-aborted',
        to: recipient,
        text,
        parts: parseMessage(text),
      };
      const reason = new SendTimeoutError({
        adapterId: harness.adapter.id,
        provider: harness.adapter.provider,
        timeoutMs: 1,
      });
      const signal = AbortSignal.abort(reason);
      await expect(harness.adapter.send(envelope, { signal })).rejects.toBe(reason);
      expect(await provider.sent()).toEqual([]);
    });
  });
}
