import { runAdapterConformance } from '@threadline/testkit';
import { afterAll, beforeAll } from 'vitest';
import { type FakeRelay, startFakeRelay } from '../src/fake-relay';
import { createRelayAdapter, RELAY_SECRET_HEADER } from '../src/index';

const BOT_TOKEN = '123456:conformance';
const SECRET = 'conformance-webhook-secret';
const PUBLIC_URL = 'https://bot.example.com/webhooks/relay';

let relay: FakeRelay;
beforeAll(async () => {
  relay = await startFakeRelay({ botToken: BOT_TOKEN, webhookSecret: SECRET });
});
afterAll(() => relay.close());

const update = {
  update_id: 7,
  message: {
    message_id: 9,
    date: 1_767_225_600,
    chat: { id: 4242 },
    from: { id: 4242, first_name: 'Ann' },
    text: 'hello',
  },
};

runAdapterConformance(
  () => createRelayAdapter({ botToken: BOT_TOKEN, webhookSecret: SECRET, baseUrl: relay.url }),
  {
    name: 'relay (custom adapter example)',
    reset: () => {
      relay.received.length = 0;
    },
    inbound: {
      kind: 'webhook',
      name: 'a text message',
      publicUrl: PUBLIC_URL,
      signatureHeader: RELAY_SECRET_HEADER,
      // Relay authenticates the sender with a shared secret; it does not sign the body.
      signatureCovers: 'sender',
      valid: () =>
        new Request(PUBLIC_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [RELAY_SECRET_HEADER]: SECRET },
          body: JSON.stringify(update),
        }),
      expected: [
        {
          type: 'message',
          channel: 'relay',
          message: {
            providerMessageId: 'm4242:9',
            from: { address: '4242', displayName: 'Ann' },
            text: 'hello',
          },
        },
      ],
    },
    outbound: {
      honoursAbort: true,
      recipient: { address: '4242' },
      provider: {
        accept: () => undefined,
        failures: [
          {
            name: '429 with retry_after',
            arrange: () =>
              relay.failNext({
                httpStatus: 429,
                errorCode: 429,
                description: 'Too Many Requests',
                retryAfter: 3,
              }),
            category: 'throttled',
            retryable: true,
            retryAfterMs: 3_000,
          },
          {
            name: '403 bot blocked by the user',
            arrange: () =>
              relay.failNext({
                httpStatus: 403,
                errorCode: 403,
                description: 'Forbidden: bot was blocked by the user',
              }),
            category: 'unreachable',
            retryable: false,
          },
          {
            name: '500',
            arrange: () =>
              relay.failNext({
                httpStatus: 500,
                errorCode: 500,
                description: 'Internal Server Error',
              }),
            category: 'provider',
            retryable: true,
          },
        ],
        sent: () =>
          relay.received.flatMap((message) => {
            const keyboard = message.reply_markup?.inline_keyboard.flat() ?? [];
            const text = { type: 'text' as const, text: message.text };
            // A keyboard hangs off a message: report the text, then the native actions it carries.
            return keyboard.length === 0
              ? [text]
              : [
                  text,
                  {
                    type: 'component' as const,
                    kind: 'actions' as const,
                    items: keyboard.length,
                    labels: keyboard.map((button) => button.text),
                  },
                ];
          }),
      },
    },
  },
);
