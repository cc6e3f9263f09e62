import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  type FakeClock,
  testCapabilityVariants,
  waitFor,
} from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const ANN = '+447700900123';
const LEASE_MS = 60_000;

/**
 * Two instances on one database, each with its own store and pool: the first records a message
 * and "dies" in its agent turn; the second takes the turn over once the lease runs out.
 */
describe.runIf(serverReachable)('durable agent turns on PostgreSQL', () => {
  const schema = uniqueName('turns');
  const running: Threadline[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const threadline of running) await threadline.stop();
    for (const close of closers) await close();
    await dropSchema(schema);
    await closeAdminPool();
  });

  function instance(
    clock: FakeClock,
    instanceId: string,
    onMessage: (turn: AgentTurn) => unknown,
    turnPollIntervalMs = 20,
  ) {
    const adapter = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: deriveTestCapabilities(
        { rate: { perSecond: 100_000 } },
        testCapabilityVariants.restrictive,
      ),
    });
    const threadline = createThreadline({
      store: createPostgresStore({ connectionString: DATABASE_URL, schema, clock }),
      adapters: [adapter],
      clock,
      instanceId,
      outbox: { pollIntervalMs: 3_600_000 },
      jobs: { pollIntervalMs: 3_600_000 },
      inbound: { turnLeaseMs: LEASE_MS, turnPollIntervalMs },
      onMessage,
    });
    return { adapter, threadline };
  }

  it('a turn whose instance died is run by the other instance, with attempt 2, once', {
    timeout: 30_000,
  }, async () => {
    const clock = createFakeClock();
    const first: AgentTurn[] = [];
    // `a` stands for a process that died in its agent turn: the agent never returns, and a dead
    // process polls for nothing (were its poller alive, it could claim the turn itself and queue
    // it behind the turn that never ends).
    const a = instance(
      clock,
      'instance-a',
      (turn) => {
        first.push(turn);
        return new Promise<void>(() => {});
      },
      3_600_000,
    );
    const second: AgentTurn[] = [];
    const b = instance(clock, 'instance-b', (turn) => {
      second.push(turn);
    });
    await a.threadline.start();
    await b.threadline.start();
    running.push(b.threadline);
    // The "dead" instance is never stopped (its agent never returns): only its pool is closed.
    closers.push(() => a.threadline.store.close());

    await a.adapter.receive({ from: ANN, text: 'still there?', id: 'SM-1' });
    await waitFor(() => first.length === 1, 'the first agent to start', 10_000);
    expect(first[0]?.attempt).toBe(1);

    clock.advance(LEASE_MS + 1);
    await waitFor(() => second.length === 1, 'the second instance to take the turn', 10_000);
    expect(second[0]).toMatchObject({
      attempt: 2,
      message: { text: 'still there?', seq: 1, channel: 'sms', providerMessageId: 'SM-1' },
    });
    await b.threadline.idle();
    clock.advance(LEASE_MS + 1);
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema, clock });
    try {
      expect(await store.turns.claimDue({ owner: 'probe', limit: 10, leaseMs: LEASE_MS })).toEqual(
        [],
      );
    } finally {
      await store.close();
    }
    expect(second).toHaveLength(1);
  });
});
