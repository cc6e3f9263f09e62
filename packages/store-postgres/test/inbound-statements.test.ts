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
});
