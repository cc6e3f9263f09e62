import { type Delivery, StoreError, type ThreadlineError } from '@threadline/core';
import { createDueDeliveries, createFakeClock, waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index';
import { adminPool, closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const LEASE_MS = 30_000;

/**
 * What a restart of PostgreSQL does to this store's connections, without restarting the server
 * other test files share: every backend of the store (found by its application_name) is
 * terminated, exactly as a restart or failover ends them (SQLSTATE 57P01, admin_shutdown).
 */
async function terminate(applicationName: string): Promise<number> {
  const { rows } = await adminPool().query(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
    [applicationName],
  );
  return rows[0]?.n ?? 0;
}

/** Retries `work` while it fails with a retryable StoreError, as a dispatcher would. */
async function retrying<T>(work: () => Promise<T>, errors: ThreadlineError[]): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StoreError) || !error.retryable) throw error;
      errors.push(error);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error('still failing after 100 attempts');
}

describe.runIf(serverReachable)('when PostgreSQL drops the store’s connections', () => {
  const stores: Array<{ store: PostgresStore; schema: string }> = [];
  afterAll(async () => {
    for (const { store, schema } of stores) {
      await store.close();
      await dropSchema(schema);
    }
    await closeAdminPool();
  });

  function open() {
    const schema = uniqueName('restart');
    const clock = createFakeClock();
    const store = createPostgresStore({
      connectionString: DATABASE_URL,
      schema,
      clock,
      applicationName: schema,
    });
    stores.push({ store, schema });
    return { store, schema, clock, applicationName: schema };
  }

  it('an operation in flight fails with a retryable StoreError, and the pool recovers', async () => {
    const { store, schema, clock, applicationName } = open();
    const [id] = await createDueDeliveries(store, 1, () => clock.date());
    await store.deliveries.claimDue({ owner: 'a', limit: 1, leaseMs: LEASE_MS });
    // Hold the row so `complete` is mid-statement, waiting on the lock, when the backend dies.
    const blocker = await adminPool().connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT id FROM "${schema}".threadline_deliveries WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const inFlight = store.deliveries
        .complete(id as string, {
          owner: 'a',
          providerMessageId: 'SM1',
          status: 'sent',
          at: clock.date(),
        })
        .catch((error: unknown) => error);
      await waitFor(async () => {
        const { rows } = await adminPool().query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        return rows.length > 0;
      }, 'complete to wait on the row lock');
      expect(await terminate(applicationName)).toBeGreaterThan(0);
      const failure = await inFlight;
      expect(failure).toBeInstanceOf(StoreError);
      expect(failure).toMatchObject({
        code: 'store_unavailable',
        retryable: true,
        category: 'store',
      });
      await blocker.query('ROLLBACK');
    } finally {
      blocker.release();
    }
    // Nothing was written by the failed call; the retry finds a fresh connection and succeeds.
    expect((await store.deliveries.get(id as string))?.status).toBe('queued');
    const done = await store.deliveries.complete(id as string, {
      owner: 'a',
      providerMessageId: 'SM1',
      status: 'sent',
      at: clock.date(),
    });
    expect(done).toMatchObject({ status: 'sent', providerMessageId: 'SM1' });
  });

  it('a dispatch with connections dropped again and again sends every delivery exactly once', async () => {
    const { store, clock, applicationName } = open();
    const ids = await createDueDeliveries(store, 200, () => clock.date());
    const sends = new Map<string, number>();
    const errors: ThreadlineError[] = [];
    const kills: Array<Promise<number>> = [];

    async function dispatch(): Promise<void> {
      for (;;) {
        const batch: Delivery[] = await retrying(
          () => store.deliveries.claimDue({ owner: 'a', limit: 10, leaseMs: LEASE_MS }),
          errors,
        );
        if (batch.length === 0) return;
        for (const delivery of batch) {
          // The provider call. Every 25th send, the database goes away while we carry on.
          sends.set(delivery.id, (sends.get(delivery.id) ?? 0) + 1);
          if (sends.size % 25 === 0) kills.push(terminate(applicationName));
          const done = await retrying(
            () =>
              store.deliveries.complete(delivery.id, {
                owner: 'a',
                providerMessageId: `SM-${delivery.id}`,
                status: 'sent',
                at: clock.date(),
              }),
            errors,
          );
          expect(done?.status).toBe('sent');
        }
      }
    }

    await dispatch();
    await Promise.all(kills);
    // A claim whose commit landed but whose answer was lost stays leased: once the lease
    // expires, the next pass claims it again. It was never sent, so it is sent now, once.
    clock.advance(LEASE_MS + 1);
    await dispatch();

    expect(kills.length).toBeGreaterThanOrEqual(7);
    expect(errors.every((error) => error.retryable && error.code === 'store_unavailable')).toBe(
      true,
    );
    expect([...sends.keys()].sort()).toEqual([...ids].sort());
    expect([...sends.values()].every((count) => count === 1)).toBe(true);
    const { rows } = await adminPool().query(
      `SELECT status, count(*)::int AS n FROM "${stores.at(-1)?.schema}".threadline_deliveries GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'sent', n: 200 }]);
  });

  it('pub/sub listens again after its connection is dropped: a message published after arrives', async () => {
    const { store, applicationName } = open();
    const received: unknown[] = [];
    await store.pubsub.subscribe('thread:1', (message) => received.push(message));
    await store.pubsub.publish('thread:1', 'before');
    await waitFor(async () => received.includes('before'), 'the first message');

    expect(await terminate(applicationName)).toBeGreaterThan(0);
    // Messages published while the listener reconnects may be lost (best effort); keep
    // publishing until one gets through, which proves the subscription is live again.
    let sent = 0;
    await waitFor(async () => {
      sent += 1;
      await retrying(() => store.pubsub.publish('thread:1', `after-${sent}`), []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return received.some((message) => String(message).startsWith('after-'));
    }, 'a message after the reconnect');
    const { rows } = await adminPool().query(
      `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
      [applicationName],
    );
    expect(rows.length).toBe(1);
  });
});
