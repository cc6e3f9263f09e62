import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  type TestAdapter,
  testCapabilityVariants,
} from '@threadline/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

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
  const schema = uniqueName('statements');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: schema });
  pool.on('error', () => undefined);
  const ours = new WeakSet<object>();
  pool.on('connect', (client) => ours.add(client));
  const statements: string[] = [];
  const query = pg.Client.prototype.query;

  beforeAll(async () => {
    // Every connection of this pool, whether the store queries the pool or a checked-out client.
    pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
      if (ours.has(this)) {
        const [text] = args;
        statements.push(
          typeof text === 'string' ? text : String((text as { text?: string })?.text),
        );
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    await createPostgresStore({ pool, schema }).migrate();
  });

  afterAll(async () => {
    pg.Client.prototype.query = query;
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  let threadline: Threadline | undefined;
  afterEach(async () => {
    await threadline?.stop();
    threadline = undefined;
  });

  async function start(onMessage?: (turn: AgentTurn) => Promise<void>) {
    const clock = createFakeClock();
    const adapter = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: deriveTestCapabilities(
        { rate: { perSecond: 100_000 } },
        testCapabilityVariants.restrictive,
      ),
    });
    threadline = createThreadline({
      store: createPostgresStore({ pool, schema, migrate: false, clock }),
      adapters: [adapter],
      clock,
      agentId: `agent-${Math.random().toString(36).slice(2)}`,
      outbox: { pollIntervalMs: 3_600_000 },
      jobs: { pollIntervalMs: 3_600_000 },
      ...(onMessage === undefined ? {} : { onMessage }),
    });
    await threadline.start();
    return { adapter, threadline };
  }

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
