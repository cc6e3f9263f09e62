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

const chat = { id: 4242 };
const ann = { id: 4242, first_name: 'Ann' };
const SENT_AT = 1_767_225_600;

/** A webhook post of `update` as Relay sends it, with the secret header. */
const signed = (update: unknown) => () =>
  new Request(PUBLIC_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [RELAY_SECRET_HEADER]: SECRET },
    body: JSON.stringify(update),
  });

/** Relay authenticates the sender with a shared secret; it does not sign the body. */
const webhook = {
  kind: 'webhook',
  publicUrl: PUBLIC_URL,
  signatureHeader: RELAY_SECRET_HEADER,
  signatureCovers: 'sender',
} as const;

runAdapterConformance(
  () => createRelayAdapter({ botToken: BOT_TOKEN, webhookSecret: SECRET, baseUrl: relay.url }),
  {
    name: 'relay (custom adapter example)',
    reset: () => {
      relay.received.length = 0;
    },
    inbound: [
      {
        ...webhook,
        name: 'a text message',
        valid: signed({
          update_id: 7,
          message: { message_id: 9, date: SENT_AT, chat, from: ann, text: 'hello' },
        }),
        expected: [
          {
            type: 'message',
            channel: 'relay',
            message: {
              providerMessageId: 'm4242:9',
              from: { address: '4242', displayName: 'Ann' },
              timestamp: new Date(SENT_AT * 1000),
              text: 'hello',
            },
          },
        ],
      },
      {
        ...webhook,
        name: 'a reply to an earlier message',
        valid: signed({
          update_id: 8,
          message: {
            message_id: 10,
            date: SENT_AT,
            chat,
            text: 'yes, that one',
            reply_to_message: { message_id: 100 },
          },
        }),
        expected: [
          {
            type: 'message',
            message: { providerMessageId: 'm4242:10', replyTo: 'm4242:100', text: 'yes, that one' },
          },
        ],
      },
      {
        ...webhook,
        name: 'a button tap',
        valid: signed({
          update_id: 9,
          callback_query: {
            id: 'q1',
            from: ann,
            data: 'Today 7pm',
            message: { message_id: 100, date: SENT_AT, chat: { id: 777 } },
          },
        }),
        expected: [
          {
            type: 'message',
            message: {
              providerMessageId: 'cbq1',
              from: { address: '777', displayName: 'Ann' },
              text: 'Today 7pm',
              payload: 'Today 7pm',
            },
          },
        ],
      },
      {
        ...webhook,
        name: 'a button tap on a message too old to carry its chat',
        valid: signed({
          update_id: 12,
          callback_query: { id: 'q2', from: { id: 4242 }, data: 'Tomorrow 1pm' },
        }),
        expected: [
          {
            type: 'message',
            message: {
              providerMessageId: 'cbq2',
              from: { address: '4242' },
              text: 'Tomorrow 1pm',
              payload: 'Tomorrow 1pm',
            },
          },
        ],
      },
      {
        // Threadline has no edit event: an edit is reported, never taken for a new message.
        ...webhook,
        name: 'an edited message',
        valid: signed({
          update_id: 10,
          edited_message: {
            message_id: 9,
            date: SENT_AT,
            edit_date: SENT_AT + 60,
            chat,
            text: 'hello!',
          },
        }),
        expected: [
          {
            type: 'unsupported',
            reason: 'edited message',
            from: { address: '4242' },
            providerMessageId: `m4242:9:edit:${SENT_AT + 60}`,
            timestamp: new Date((SENT_AT + 60) * 1000),
            raw: { update_id: 10, edited_message: { text: 'hello!' } },
          },
        ],
      },
      {
        ...webhook,
        name: 'an update kind the adapter does not handle',
        valid: signed({ update_id: 11, poll: { id: 'p1' } }),
        expected: [
          {
            type: 'unsupported',
            reason: 'update kind not handled',
            raw: { update_id: 11, poll: { id: 'p1' } },
          },
        ],
      },
    ],
    outbound: {
      honoursAbort: true,
      recipient: { address: '4242' },
      // The id of the inbound message of the first fixture.
      replyTo: 'm4242:9',
      provider: {
        accept: () => undefined,
        // Part 1 of a split message goes out, part 2 meets a 500.
        failLaterPart: () =>
          relay.failNext({
            httpStatus: 500,
            errorCode: 500,
            description: 'Internal Server Error',
            after: 1,
          }),
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
          ...(
            [
              [400, 'invalid_request', 'Bad Request: chat not found'],
              [401, 'auth', 'Unauthorized'],
              [404, 'auth', 'Not Found'],
            ] as const
          ).map(([status, category, description]) => ({
            name: `${status} ${description}`,
            arrange: () => relay.failNext({ httpStatus: status, errorCode: status, description }),
            category,
            retryable: false,
            providerCode: String(status),
            httpStatus: status,
          })),
          {
            name: 'an error code of its own (420) answered with HTTP 400',
            arrange: () =>
              relay.failNext({ httpStatus: 400, errorCode: 420, description: 'Flood' }),
            category: 'provider',
            retryable: false,
            providerCode: '420',
            httpStatus: 400,
          },
          {
            name: 'a 500 HTML page from a proxy',
            arrange: () =>
              relay.failNext({
                httpStatus: 500,
                errorCode: 500,
                description: '',
                rawBody: '<html>Internal Server Error</html>',
              }),
            category: 'provider',
            retryable: true,
            httpStatus: 500,
          },
          {
            name: 'a 418 HTML page from a proxy',
            arrange: () =>
              relay.failNext({
                httpStatus: 418,
                errorCode: 418,
                description: '',
                rawBody: '<html>I am a teapot</html>',
              }),
            category: 'provider',
            retryable: false,
            httpStatus: 418,
          },
          {
            name: 'the connection closed without an answer',
            arrange: () =>
              relay.failNext({ httpStatus: 0, errorCode: 0, description: '', hangUp: true }),
            category: 'provider',
            retryable: true,
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
            const quoted = message.reply_to_message_id;
            const text = {
              type: 'text' as const,
              text: message.text,
              ...(quoted === undefined ? {} : { replyTo: `m${message.chat_id}:${quoted}` }),
            };
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
