import {
  DeliveryError,
  type EventSink,
  type InboundEvent,
  type OutboundEnvelope,
  parseMessage,
} from '@threadline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRelay, startFakeRelay } from '../src/fake-relay';
import { createRelayAdapter, RELAY_SECRET_HEADER } from '../src/index';

const BOT_TOKEN = '123456:adapter-test';
const SECRET = 'adapter-test-secret';

let relay: FakeRelay;
beforeAll(async () => {
  relay = await startFakeRelay({ botToken: BOT_TOKEN, webhookSecret: SECRET });
});
afterAll(() => relay.close());

const adapter = () =>
  createRelayAdapter({ botToken: BOT_TOKEN, webhookSecret: SECRET, baseUrl: relay.url });

/** A sink that records what it was given, as the core's would. */
function recordingSink(): EventSink & { events: InboundEvent[] } {
  const events: InboundEvent[] = [];
  return {
    events,
    async emit(event) {
      events.push(event);
      return { recorded: true };
    },
  };
}

function post(update: unknown): { request: Request; rawBody: Uint8Array } {
  const rawBody = new TextEncoder().encode(JSON.stringify(update));
  const request = new Request('https://bot.example.com/webhooks/relay', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [RELAY_SECRET_HEADER]: SECRET },
    body: rawBody,
  });
  return { request, rawBody };
}

const text = {
  update_id: 1,
  message: { message_id: 5, date: 1_767_225_600, chat: { id: 42 }, text: 'hi' },
};

describe('the Relay adapter', () => {
  it('reads the body the core already read (context.rawBody), not the consumed request', async () => {
    const { request, rawBody } = post(text);
    await request.arrayBuffer(); // the core has consumed the stream; only rawBody is left
    const sink = recordingSink();
    const response = await adapter().handleWebhook?.(request, {
      sink,
      rawBody,
      publicUrl: request.url,
      waitUntil: () => undefined,
    });
    expect(response?.status).toBe(200);
    expect(sink.events).toMatchObject([{ type: 'message', message: { text: 'hi' } }]);
  });

  it('reads the request body itself when called without rawBody', async () => {
    const sink = recordingSink();
    const { request } = post(text);
    const response = await adapter().handleWebhook?.(request, {
      sink,
      publicUrl: request.url,
      waitUntil: () => undefined,
    });
    expect(response?.status).toBe(200);
    expect(sink.events).toHaveLength(1);
  });

  it('reports an edited message as unsupported, keeping the original in the thread', async () => {
    const sink = recordingSink();
    const edited = {
      update_id: 2,
      edited_message: { ...text.message, text: 'hi!', edit_date: 1_767_225_660 },
    };
    const { request, rawBody } = post(edited);
    await adapter().handleWebhook?.(request, {
      sink,
      rawBody,
      publicUrl: request.url,
      waitUntil: () => undefined,
    });
    expect(sink.events).toMatchObject([
      { type: 'unsupported', reason: 'edited message', providerMessageId: 'm42:5:edit:1767225660' },
    ]);
  });

  it('resumes a split message after the parts already sent when a later part failed', async () => {
    const words = Array.from({ length: 1500 }, (_, index) => `word${index}`).join(' ');
    const envelope: OutboundEnvelope = {
      deliveryId: 'delivery-split',
      to: { address: '42' },
      text: words,
      parts: parseMessage(words),
    };
    const relayAdapter = adapter();
    const before = relay.received.length;
    relay.failNext({ httpStatus: 500, errorCode: 500, description: 'Internal', after: 1 });

    const failure = await relayAdapter.send(envelope).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).retryable).toBe(true);
    expect(relay.received.length - before).toBe(1);

    const result = await relayAdapter.send(envelope);
    const sent = relay.received.slice(before);
    // Every part reached Relay exactly once: the retry did not send part 1 again.
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.map((message) => message.text).join(' ')).toBe(words);
    expect(result.providerMessageIds).toHaveLength(sent.length);
    expect(result.providerMessageId).toBe(result.providerMessageIds?.[0]);
  });

  it('sends a button whose label is over 64 bytes with its data cut to whole characters', async () => {
    const label = `Réserver ${'é'.repeat(31)}`; // 40 characters, 72 bytes
    const text = `Pick:\n\n::: actions\n- ${label}\n:::`;
    const before = relay.received.length;
    await adapter().send({
      deliveryId: 'delivery-wide-button',
      to: { address: '42' },
      text,
      parts: parseMessage(text),
    });
    const [button] = relay.received.at(-1)?.reply_markup?.inline_keyboard.flat() ?? [];
    expect(relay.received.length - before).toBe(1);
    expect(button?.text).toBe(label);
    expect(button?.callback_data).toBe(`Réserver ${'é'.repeat(27)}`); // 10 + 54 = 64 bytes
  });
});
