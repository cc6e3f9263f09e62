import type { AgentTurn, Threadline } from '@threadline/core';
import {
  deriveTestCapabilities,
  type TestAdapter,
  testCapabilityVariants,
} from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { serverReachable } from './support/server';
import { countedRuntime } from './support/statements';

/**
 * Round trips per inbound message, counted at the driver: every `query` a connection of the
 * store's pool sends (BEGIN and COMMIT included) while the webhook is handled. A returning
 * sender's message is one statement and a first contact at most two (issue 17): a change that
 * adds a statement to the hot path fails here, not only in the benchmark.
 */

const ANN = '+447700900123';
const BOB = '+447700900456';
const LIMITS = { returning: 1, firstContact: 2 } as const;

describe.runIf(serverReachable)('statements per inbound message (PostgreSQL server)', () => {
  const { statements, start: startRuntime } = countedRuntime('statements');

  const start = (onMessage?: (turn: AgentTurn) => Promise<void>) =>
    startRuntime({
      adapter: {
        id: 'sms',
        channel: 'sms',
        capabilities: deriveTestCapabilities(
          { rate: { perSecond: 100_000 } },
          testCapabilityVariants.restrictive,
        ),
      },
      ...(onMessage === undefined ? {} : { onMessage }),
    });

  /** Statements the store sent while the webhook of one message was answered. */
  async function counted(running: Threadline, adapter: TestAdapter, from: string, text: string) {
    await running.idle();
    statements.length = 0;
    const request = adapter.signedRequest({
      events: [{ type: 'message', id: `in-${Math.random().toString(36).slice(2)}`, from, text }],
    });
    const response = await running.fetch(request);
    expect(response.status).toBe(200);
    const recording = statements.splice(0);
    await running.idle();
    return { recording, turn: statements.splice(0) };
  }

  for (const agent of ['without onMessage', 'with onMessage'] as const) {
    it(`${agent}: a first contact takes at most ${LIMITS.firstContact}, a returning sender ${LIMITS.returning}`, async () => {
      const replies: string[] = [];
      const { adapter, threadline: running } = await start(
        agent === 'with onMessage'
          ? async (turn) => {
              replies.push(turn.message.text);
            }
          : undefined,
      );
      const from = agent === 'with onMessage' ? BOB : ANN;
      const first = await counted(running, adapter, from, 'hello');
      const returning = await counted(running, adapter, from, 'again');

      expect(first.recording.length, first.recording.join('\n---\n')).toBeLessThanOrEqual(
        LIMITS.firstContact,
      );
      expect(returning.recording, returning.recording.join('\n---\n')).toHaveLength(
        LIMITS.returning,
      );
      if (agent === 'with onMessage') {
        expect(replies).toEqual(['hello', 'again']);
        // The turn's own: its lease, the user and the history, the lease back, and completing
        // the durable turn (stored by the record's own statement, so recording is still 1).
        expect(returning.turn, returning.turn.join('\n---\n')).toHaveLength(5);
      } else {
        expect(returning.turn).toEqual([]);
      }
    });
  }

  it('concurrent webhooks share statements: 8 messages in one tick take fewer than 8', async () => {
    const { adapter, threadline: running } = await start();
    const senders = Array.from({ length: 8 }, (_, i) => `+4477009002${String(i).padStart(2, '0')}`);
    for (const from of senders) await counted(running, adapter, from, 'hello');
    await running.idle();
    const received: { text: string; seq: number; threadId: string }[] = [];
    running.on('message.received', ({ message, seq, threadId }) => {
      received.push({ text: message.text, seq, threadId });
    });
    statements.length = 0;
    const responses = await Promise.all(
      senders.map((from, i) =>
        running.fetch(
          adapter.signedRequest({
            events: [{ type: 'message', id: `burst-${i}-${Date.now()}`, from, text: `again ${i}` }],
          }),
        ),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(senders.map(() => 200));
    const recording = statements.splice(0);
    expect(recording.length, recording.join('\n---\n')).toBeLessThan(senders.length);
    // Each message recorded in its own sender's thread, after the first.
    expect(received.map(({ text, seq }) => `${text}@${seq}`).sort()).toEqual(
      senders.map((_, i) => `again ${i}@2`).sort(),
    );
    expect(new Set(received.map(({ threadId }) => threadId)).size).toBe(senders.length);
  });
});
