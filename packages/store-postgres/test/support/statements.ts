import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import {
  createFakeClock,
  createTestAdapter,
  type TestAdapter,
  type TestAdapterOptions,
} from '@threadline/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createPostgresStore } from '../../src/index';
import { uniqueName } from './schemas';
import { DATABASE_URL } from './server';

/**
 * A pool whose statements are counted at the driver: every `query` a connection of this pool
 * sends (BEGIN and COMMIT included), whether the store queries the pool or a checked-out client.
 * Registers the hooks that migrate a fresh schema first and drop it after; call it inside a
 * `describe`.
 */
export function countedPool(label: string): {
  pool: pg.Pool;
  schema: string;
  statements: string[];
} {
  const schema = uniqueName(label);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: schema });
  pool.on('error', () => undefined);
  const ours = new WeakSet<object>();
  pool.on('connect', (client) => ours.add(client));
  const statements: string[] = [];
  const query = pg.Client.prototype.query;

  beforeAll(async () => {
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

  return { pool, schema, statements };
}

/**
 * {@link countedPool} with a runtime on it: `start` makes a test adapter (on the test's fake clock)
 * and a started Threadline on a fresh agent, with the pollers effectively off, so every statement
 * counted is the one the test caused. The runtime is stopped after each test.
 */
export function countedRuntime(label: string): {
  statements: string[];
  start(input: {
    adapter: Omit<TestAdapterOptions, 'clock'>;
    onMessage?: (turn: AgentTurn) => Promise<void>;
  }): Promise<{ adapter: TestAdapter; threadline: Threadline }>;
} {
  const { pool, schema, statements } = countedPool(label);
  let running: Threadline | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return {
    statements,
    async start({ adapter: adapterOptions, onMessage }) {
      const clock = createFakeClock();
      const adapter = createTestAdapter({ ...adapterOptions, clock });
      const threadline = createThreadline({
        store: createPostgresStore({ pool, schema, migrate: false, clock }),
        adapters: [adapter],
        clock,
        agentId: `agent-${Math.random().toString(36).slice(2)}`,
        outbox: { pollIntervalMs: 3_600_000 },
        jobs: { pollIntervalMs: 3_600_000 },
        ...(onMessage === undefined ? {} : { onMessage }),
      });
      running = threadline;
      await threadline.start();
      return { adapter, threadline };
    },
  };
}
