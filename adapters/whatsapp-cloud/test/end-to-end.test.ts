import { type AgentTurn, createThreadline, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter, type WhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock } from './graph';
import {
  contact,
  messagesChange,
  status,
  textMessage,
  webhookPayload,
  webhookRequest,
} from './webhooks';

/**
 * The adapter inside the real runtime: createThreadline + the memory store + a fake clock, with
 * Graph mocked at the network edge. What a host sees, end to end.
 */

const graph = useGraphMock();
const HOUR = 3_600_000;
const ANN = '16505551234';

let clock: FakeClock;
let adapter: WhatsAppCloudAdapter;
let threadline: Threadline;
let turns: AgentTurn[];
let errors: unknown[];
let inbound = 0;

beforeEach(async () => {
  graph.reset();
  clock = createFakeClock();
  turns = [];
  errors = [];
  adapter = createWhatsAppCloudAdapter({
    ...baseOptions,
    clock,
    rate: { perSecond: 1_000 },
    reEngagementTemplate: { name: 'reopen_chat', languageCode: 'en_GB', category: 'UTILITY' },
  });
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [adapter],
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: async (turn) => {
      turns.push(turn);
      await turn.reply(`You said: ${turn.message.text}`);
    },
    onError: (error) => errors.push(error),
  });
  await threadline.start();
});

afterEach(async () => {
  await threadline.stop();
  expect(errors).toEqual([]);
});

/** Ann writes `text` now; the signed webhook goes through the runtime's own HTTP edge. */
async function annWrites(text: string) {
  inbound += 1;
  const seconds = String(Math.floor(clock.now() / 1_000));
  const payload = webhookPayload([
    messagesChange({
      contacts: [contact(ANN, 'Ann')],
      messages: [textMessage(ANN, `wamid.IN${inbound}`, text, seconds)],
    }),
  ]);
  const url = `https://agent.example.test/webhooks/${adapter.id}`;
  const response = await threadline.fetch(webhookRequest(payload, { url }));
  expect(response.status).toBe(200);
  await threadline.idle();
}

async function statuses(...items: unknown[]) {
  const url = `https://agent.example.test/webhooks/${adapter.id}`;
  const response = await threadline.fetch(
    webhookRequest(webhookPayload([messagesChange({ statuses: items })]), { url }),
  );
  expect(response.status).toBe(200);
  await threadline.idle();
}

const sentTexts = () =>
  graph
    .messages()
    .map((m) => (m.type === 'text' ? m.text.body : `[${m.type} ${m.template?.name}]`));

describe('WhatsApp Cloud through createThreadline', () => {
  it('wakes the agent on a signed webhook and sends its reply as a Graph call', async () => {
    await annWrites('hello');
    expect(turns).toHaveLength(1);
    expect(turns[0]?.message).toMatchObject({
      text: 'hello',
      providerMessageId: 'wamid.IN1',
      from: { address: '+16505551234', displayName: 'Ann' },
    });
    expect(graph.messages()).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: ANN,
        type: 'text',
        text: { body: 'You said: hello', preview_url: false },
      },
    ]);
    const thread = await threadline.users.get(turns[0]?.user.id as string).thread();
    expect(thread.map((entry) => [entry.direction, entry.text])).toEqual([
      ['inbound', 'hello'],
      ['outbound', 'You said: hello'],
    ]);
  });

  it('answers the hub.challenge handshake through the runtime, and 403 to a wrong token', async () => {
    const url = (token: string) =>
      `https://agent.example.test/webhooks/${adapter.id}?hub.mode=subscribe&hub.challenge=8472&hub.verify_token=${token}`;
    const ok = await threadline.fetch(new Request(url(baseOptions.verifyToken)));
    expect([ok.status, await ok.text()]).toEqual([200, '8472']);
    expect((await threadline.fetch(new Request(url('wrong')))).status).toBe(403);
  });

  it('answers a forged webhook 401 and wakes nobody', async () => {
    const url = `https://agent.example.test/webhooks/${adapter.id}`;
    const payload = webhookPayload([messagesChange({ messages: [textMessage(ANN, 'w', 'hi')] })]);
    const response = await threadline.fetch(webhookRequest(payload, { url, secret: 'guess' }));
    expect(response.status).toBe(401);
    await threadline.idle();
    expect(turns).toEqual([]);
    expect(graph.requests).toEqual([]);
  });

  it('moves the delivery forward on statuses, never back, and records pricing', async () => {
    await annWrites('hello');
    const [delivery] = await threadline.deliveries.list();
    expect(delivery).toMatchObject({ status: 'accepted', providerMessageId: 'wamid.TEST0001' });
    const pricing = { billable: true, pricing_model: 'PMP', category: 'service' };
    await statuses(status('wamid.TEST0001', 'sent', { pricing }));
    // Out of order, as Meta may send them: the late `delivered` must not undo `read`.
    await statuses(status('wamid.TEST0001', 'read'), status('wamid.TEST0001', 'delivered'));
    const updated = await threadline.deliveries.get(delivery?.id as string);
    expect(updated?.status).toBe('read');
    expect(updated?.pricing).toEqual(pricing);
  });

  it('records a failure reported later in statuses with the category of the same table', async () => {
    await annWrites('hello');
    const [delivery] = await threadline.deliveries.list();
    await statuses(
      status('wamid.TEST0001', 'failed', {
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            error_data: { details: 'not on WhatsApp' },
          },
        ],
      }),
    );
    expect(await threadline.deliveries.get(delivery?.id as string)).toMatchObject({
      status: 'failed',
      error: { category: 'unreachable', providerCode: '131026', title: 'Message undeliverable' },
    });
  });

  it('queues text behind a closed window, sends the re-engagement template, and delivers after the reply', async () => {
    await annWrites('hi');
    const userId = turns[0]?.user.id as string;
    clock.advance(25 * HOUR);

    const result = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Your order shipped',
    });
    expect(result).toMatchObject({ queued: true, delivered: false, status: 'queued' });
    expect(graph.messages().at(-1)).toMatchObject({
      to: ANN,
      type: 'template',
      template: { name: 'reopen_chat', language: { code: 'en_GB' } },
    });

    await annWrites('ok, go ahead');
    await threadline.runDue();
    await threadline.idle();
    expect(sentTexts()).toEqual([
      'You said: hi',
      '[template reopen_chat]',
      'Your order shipped',
      'You said: ok, go ahead',
    ]);
    expect((await threadline.deliveries.get(result.deliveryId))?.status).toBe('accepted');
  });

  it('hands a 131047 from Graph to the window policy: held, re-engagement sent, delivered after the reply', async () => {
    await annWrites('hi');
    const userId = turns[0]?.user.id as string;
    // Our clock says the window is open, Meta says it is closed (clock skew, a missed message).
    graph.fail(400, 131047, { title: 'Re-engagement message' });

    const result = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Update',
    });
    expect(result).toMatchObject({ queued: true, delivered: false });
    expect(sentTexts()).toEqual(['You said: hi', 'Update', '[template reopen_chat]']);

    await annWrites('yes?');
    await threadline.runDue();
    await threadline.idle();
    expect(sentTexts().slice(3)).toEqual(['Update', 'You said: yes?']);
    expect((await threadline.deliveries.get(result.deliveryId))?.status).toBe('accepted');
  });

  it('retries a throttled send in the background after Retry-After', async () => {
    await annWrites('hi');
    const userId = turns[0]?.user.id as string;
    graph.fail(429, 130429, { retryAfter: '2' });
    const result = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Later',
    });
    expect(result).toMatchObject({ status: 'queued', delivered: false });
    const retry = await threadline.deliveries.get(result.deliveryId);
    expect(retry?.error).toMatchObject({ category: 'throttled', providerCode: '130429' });
    clock.advance(2_300);
    await threadline.runDue();
    expect((await threadline.deliveries.get(result.deliveryId))?.status).toBe('accepted');
    expect(sentTexts().filter((text) => text === 'Later')).toHaveLength(2);
  });
});
