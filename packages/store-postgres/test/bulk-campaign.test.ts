import { PGlite } from '@electric-sql/pglite';
import { createThreadline, type Threadline } from '@threadline/core';
import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  type FakeClock,
  testCapabilityVariants,
  waitFor,
} from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../src/index';
import { closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const NUMBERS = Array.from({ length: 40 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`);
const LEASE_MS = 30_000;
/** Sends that complete before instance `a` "crashes"; the next `IN_FLIGHT` hang for ever. */
const SENT_BEFORE_CRASH = 12;
const IN_FLIGHT = 4;

/** A runtime on `store` whose WhatsApp-like adapter hangs every send after `hangAfter`. */
async function instance(store: PostgresStore, clock: FakeClock, id: string, hangAfter = Infinity) {
  let attempts = 0;
  const adapter = createTestAdapter({
    id: 'wa',
    channel: 'whatsapp',
    clock,
    capabilities: deriveTestCapabilities(
      { rate: { perSecond: 100_000 } },
      testCapabilityVariants.templateOnly,
    ),
    onSend: async () => {
      attempts += 1;
      if (attempts > hangAfter) await new Promise<void>(() => undefined);
    },
  });
  const threadline: Threadline = createThreadline({
    store,
    adapters: [adapter],
    clock,
    instanceId: id,
    outbox: { pollIntervalMs: 3_600_000, leaseMs: LEASE_MS },
    jobs: { pollIntervalMs: 3_600_000 },
  });
  await threadline.start();
  const send = () =>
    threadline.templates.whatsapp.send({
      from: 'wa',
      template: { name: 'spring_sale' },
      phoneNumbers: NUMBERS,
      campaignKey: 'spring-2026',
      concurrency: IN_FLIGHT,
    });
  return { adapter, threadline, send, attempts: () => attempts };
}

/** The crash-and-resume campaign of the core's memory test, on a PostgreSQL store. */
async function crashAndResume(open: (clock: FakeClock) => PostgresStore) {
  const clock = createFakeClock();
  const storeA = open(clock);
  const a = await instance(storeA, clock, 'a', SENT_BEFORE_CRASH);
  void a.send();
  await waitFor(() => a.attempts() === SENT_BEFORE_CRASH + IN_FLIGHT, 'the crash', 20_000);

  // A new process: its own store object (own connections) on the same database.
  const storeB = open(clock);
  const b = await instance(storeB, clock, 'b');
  const again = await b.send();
  expect(again.errors).toEqual([]);
  expect(again.results).toHaveLength(NUMBERS.length);
  expect(again.alreadySent).toBe(SENT_BEFORE_CRASH + IN_FLIGHT);
  clock.advance(LEASE_MS + 1);
  await b.threadline.runDue();

  const sentTo = [...a.adapter.sent, ...b.adapter.sent].map((sent) => sent.envelope.to.address);
  expect(sentTo.toSorted()).toEqual(NUMBERS);
  await b.threadline.stop();
  return { storeA, storeB };
}

describe.runIf(serverReachable)('bulk campaign key on PostgreSQL', () => {
  const schema = uniqueName('bulk');
  afterAll(async () => {
    await dropSchema(schema);
    await closeAdminPool();
  });

  it('sends to every number exactly once when a crashed campaign is run again', async () => {
    const { storeA, storeB } = await crashAndResume((clock) =>
      createPostgresStore({ connectionString: DATABASE_URL, schema, clock }),
    );
    await storeB.close();
    // a's pool still has its hung sends' work pending; ending it is what the crash did.
    await storeA.close().catch(() => undefined);
  }, 30_000);
});

describe('bulk campaign key on PGlite', () => {
  it('sends to every number exactly once when a crashed campaign is run again', async () => {
    const pglite = await PGlite.create();
    try {
      await crashAndResume((clock) => createPostgresStore({ pglite, clock }));
    } finally {
      await pglite.close();
    }
  }, 60_000);
});
