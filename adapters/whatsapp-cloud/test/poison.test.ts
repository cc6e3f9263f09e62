import { PGlite } from '@electric-sql/pglite';
import {
  createThreadline,
  type DeadLetter,
  MAX_STORED_JSON_DEPTH,
  type Threadline,
  type ThreadStore,
  TRUNCATED_MARKER_KEY,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createPostgresStore } from '@threadline/store-postgres';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter, type WhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock } from './graph';
import { contact, messagesChange, webhookPayload, webhookRequest } from './webhooks';

/**
 * Poison messages (issue 18, item 4): signed webhooks that are valid for Meta but hostile to a
 * store. Each goes through the runtime's own HTTP edge, as in production.
 */

useGraphMock();
const ANN = '16505551234';
const ANN_E164 = `+${ANN}`;
const MAX_ATTEMPTS = 3;

/**
 * A text message sent from a Click-to-WhatsApp ad, with the `referral` object Meta documents
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/text/),
 * whose content is nested `levels` deep: valid JSON, correctly signed, and deeper than
 * `structuredClone` (3,000) or `JSON.stringify` (5,000) can walk on Node 20.
 */
function adMessage(id: string, levels: number, text = 'Is this still available?') {
  return {
    levels,
    from: ANN,
    id,
    timestamp: '1767225600',
    type: 'text',
    text: { body: text },
    referral: {
      source_url: 'https://fb.me/3cr4Wqqkr',
      source_id: '120215426470240741',
      source_type: 'ad',
      headline: 'Summer sale',
      body: 'Chat with us for 20% off',
      media_type: 'image',
      image_url: 'https://scontent.xx.fbcdn.net/ad.jpg',
      ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM',
      nested: NESTED,
    },
  };
}

/** Stands in for the nested value until the body is written as text (see {@link bodyOf}). */
const NESTED = '<nested>';

/**
 * The webhook body as text. The nesting is written as text too: the test's own `JSON.stringify`
 * would overflow at 5,000 levels, as the store's did.
 */
function bodyOf(message: ReturnType<typeof adMessage>): string {
  const { levels, ...fields } = message;
  const payload = webhookPayload([
    messagesChange({ contacts: [contact(ANN, 'Ann')], messages: [fields] }),
  ]);
  const nested = `${'{"nested":'.repeat(levels)}{"note":"bottom"}${'}'.repeat(levels)}`;
  return JSON.stringify(payload).replace(JSON.stringify(NESTED), nested);
}

interface Running {
  clock: FakeClock;
  adapter: WhatsAppCloudAdapter;
  threadline: Threadline;
  store: ThreadStore;
  deadLettered: DeadLetter[];
  post(message: ReturnType<typeof adMessage>): Promise<Response>;
}

const running: Running[] = [];
afterEach(async () => {
  for (const { threadline } of running.splice(0)) await threadline.stop();
});

async function start(store: ThreadStore, clock: FakeClock): Promise<Running> {
  const adapter = createWhatsAppCloudAdapter({ ...baseOptions, clock });
  const threadline = createThreadline({
    store,
    adapters: [adapter],
    clock,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    inbound: { maxAttempts: MAX_ATTEMPTS },
    onError: () => undefined,
  });
  const deadLettered: DeadLetter[] = [];
  threadline.on('message.dead-lettered', ({ deadLetter }) => deadLettered.push(deadLetter));
  await threadline.start();
  const url = `https://agent.example.test/webhooks/${adapter.id}`;
  const post = (message: ReturnType<typeof adMessage>) =>
    threadline.fetch(webhookRequest(bodyOf(message), { url }));
  const started = { clock, adapter, threadline, store, deadLettered, post };
  running.push(started);
  return started;
}

/** Ann's thread entries, oldest first. */
async function annsThread(store: ThreadStore) {
  const identity = await store.identities.get({ channel: 'whatsapp', address: ANN_E164 });
  if (identity === null) return [];
  const thread = await store.threads.ensure({ userId: identity.userId, agentId: 'default' });
  return store.threads.read(thread.id);
}

/** The depth at which the stored referral was cut, and the marker found there. */
function cutAt(metadata: unknown): { depth: number; marker: unknown } {
  let node = (metadata as { extra: { referral: { nested: unknown } } }).extra.referral.nested;
  let depth = 0;
  while (typeof node === 'object' && node !== null && 'nested' in node) {
    node = (node as { nested: unknown }).nested;
    depth += 1;
  }
  return { depth, marker: node };
}

const pglite = new PGlite();
// Compiling PGlite's WebAssembly takes seconds on a busy machine: once, before the tests.
beforeAll(async () => {
  await pglite.waitReady;
}, 120_000);
afterAll(async () => {
  await pglite.close();
});

const stores = [
  { name: 'memory store', open: (clock: FakeClock) => createMemoryStore({ clock }) },
  {
    name: 'PostgreSQL store (PGlite)',
    open: (clock: FakeClock) =>
      createPostgresStore({
        pglite,
        schema: `poison_${Math.random().toString(36).slice(2, 10)}`,
        clock,
      }),
  },
];

for (const { name, open } of stores) {
  describe(`poison messages on the ${name}`, () => {
    for (const levels of [3_000, 5_000]) {
      it(`a signed webhook with a ${levels.toLocaleString('en')}-level nested referral is answered 200 and recorded once, its depth cut to a marker`, async () => {
        const clock = createFakeClock();
        const { post, store } = await start(open(clock), clock);
        const message = adMessage(
          'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUNBRDEyMzQ1Njc4OTBBQkNEAA==',
          levels,
        );

        expect((await post(message)).status).toBe(200);
        expect((await post(message)).status).toBe(200); // Meta's retry: a duplicate

        const entries = await annsThread(store);
        expect(entries.map((entry) => entry.text)).toEqual(['Is this still available?']);
        const { depth, marker } = cutAt(entries[0]?.metadata);
        expect(depth).toBeLessThan(MAX_STORED_JSON_DEPTH);
        expect(marker).toEqual({
          [TRUNCATED_MARKER_KEY]: { reason: 'depth', limit: MAX_STORED_JSON_DEPTH },
        });
        expect(entries[0]?.metadata).toMatchObject({
          extra: { referral: { source_id: '120215426470240741', source_type: 'ad' } },
        });
        const identity = await store.identities.get({ channel: 'whatsapp', address: ANN_E164 });
        expect(identity?.lastInboundAt).toEqual(new Date('2026-01-01T00:00:00Z'));
      });
    }
  });
}

describe('a message the store refuses every time (PostgreSQL: a NUL in the text)', () => {
  it(`fails ${MAX_ATTEMPTS - 1} times with nothing kept, then becomes a dead letter answered 200, and the webhook keeps serving`, async () => {
    const clock = createFakeClock();
    const store = stores[1]?.open(clock) as ThreadStore;
    const { post, deadLettered } = await start(store, clock);
    // PostgreSQL text cannot hold U+0000 (https://www.postgresql.org/docs/current/datatype-character.html).
    const poison = adMessage('wamid.POISON', 3_000, 'before\u0000after');

    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      expect((await post(poison)).status).toBe(500);
      // One commit per fact: the failed attempt left no claim, no touch, no entry, no user.
      expect(await store.identities.get({ channel: 'whatsapp', address: ANN_E164 })).toBeNull();
      expect(await store.users.findByContact({ kind: 'phone', value: ANN_E164 })).toBeNull();
      expect(
        await store.deadLetters?.get({
          adapterId: 'whatsapp-106540352242922',
          providerMessageId: 'wamid.POISON',
        }),
      ).toBeNull();
      clock.advance(60_000);
    }
    expect((await post(poison)).status).toBe(200);
    expect(deadLettered).toHaveLength(1);
    const dead = deadLettered[0] as DeadLetter;
    expect(dead).toMatchObject({
      providerMessageId: 'wamid.POISON',
      channel: 'whatsapp',
      attempts: MAX_ATTEMPTS,
      message: { text: 'before\u0000after', from: { address: ANN_E164 } },
    });
    expect(await store.deadLetters?.get(dead)).toEqual(dead);
    expect(await store.deadLetters?.list()).toEqual([dead]);

    // Meta retries once more anyway: still 200, counted, no second event.
    expect((await post(poison)).status).toBe(200);
    expect(deadLettered).toHaveLength(1);
    expect((await store.deadLetters?.get(dead))?.attempts).toBe(MAX_ATTEMPTS + 1);

    // And the next message from Ann is recorded as usual.
    expect((await post(adMessage('wamid.NEXT', 1, 'hello again'))).status).toBe(200);
    expect((await annsThread(store)).map((entry) => entry.text)).toEqual(['hello again']);
  });
});
