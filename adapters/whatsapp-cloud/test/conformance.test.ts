import { runAdapterConformance } from '@threadline/testkit';
import { createWhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock } from './graph';
import { toRendered } from './rendered';
import {
  contact,
  messagesChange,
  status,
  textMessage,
  WEBHOOK_URL,
  webhookPayload,
  webhookRequest,
} from './webhooks';

const graph = useGraphMock();

const ANN = '16505551234';

const failures = [
  {
    name: 'error 131047 (re-engagement)',
    status: 400,
    code: 131047,
    category: 'window_closed',
    retryable: false,
  },
  {
    name: 'error 131026 (undeliverable)',
    status: 400,
    code: 131026,
    category: 'unreachable',
    retryable: false,
  },
  { name: 'error 190 (token expired)', status: 401, code: 190, category: 'auth', retryable: false },
  {
    name: 'error 132001 (template missing)',
    status: 404,
    code: 132001,
    category: 'template',
    retryable: false,
  },
  {
    name: 'error 131000 (unknown, 500)',
    status: 500,
    code: 131000,
    category: 'provider',
    retryable: true,
  },
  {
    name: 'error 131056 (pair rate limit)',
    status: 400,
    code: 131056,
    category: 'throttled',
    retryable: true,
    retryAfterMs: 6_000,
  },
] as const;

function fixtures(name: string) {
  return {
    name,
    reset: () => graph.reset(),
    inbound: [
      {
        kind: 'webhook' as const,
        name: 'a text message',
        publicUrl: WEBHOOK_URL,
        signatureHeader: 'x-hub-signature-256',
        valid: () =>
          webhookRequest(
            webhookPayload([
              messagesChange({
                contacts: [contact(ANN, 'Sheena')],
                messages: [textMessage(ANN, 'wamid.IN1', 'hello')],
              }),
            ]),
          ),
        expected: [
          {
            type: 'message' as const,
            message: {
              providerMessageId: 'wamid.IN1',
              from: { address: '+16505551234', displayName: 'Sheena' },
              text: 'hello',
              timestamp: new Date(1_767_225_600_000),
            },
          },
        ],
      },
      {
        kind: 'webhook' as const,
        name: 'a batch of two entries with a status and a button tap',
        publicUrl: WEBHOOK_URL,
        signatureHeader: 'x-hub-signature-256',
        valid: () =>
          webhookRequest(
            webhookPayload(
              [messagesChange({ statuses: [status('wamid.OUT1', 'delivered')] })],
              [
                messagesChange({
                  contacts: [contact(ANN, 'Sheena')],
                  messages: [
                    {
                      from: ANN,
                      id: 'wamid.IN2',
                      timestamp: '1767225700',
                      type: 'interactive',
                      interactive: {
                        type: 'button_reply',
                        button_reply: { id: 'Yes', title: 'Yes' },
                      },
                    },
                  ],
                }),
              ],
            ),
          ),
        expected: [
          {
            type: 'status' as const,
            providerMessageId: 'wamid.OUT1',
            status: 'delivered' as const,
          },
          { type: 'message' as const, message: { text: 'Yes', payload: 'Yes' } },
        ],
      },
    ],
    outbound: {
      recipient: { address: `+${ANN}` },
      honoursAbort: true,
      template: { name: 'order_update', languageCode: 'en_US' },
      provider: {
        accept: () => {},
        failures: [
          ...failures.map((failure) => ({
            name: failure.name,
            arrange: () => graph.fail(failure.status, failure.code),
            category: failure.category,
            retryable: failure.retryable,
            ...('retryAfterMs' in failure ? { retryAfterMs: failure.retryAfterMs } : {}),
          })),
          {
            name: 'a 429 (130429) with Retry-After: 7',
            arrange: () => graph.fail(429, 130429, { retryAfter: '7' }),
            category: 'throttled' as const,
            retryable: true,
            retryAfterMs: 7_000,
          },
          {
            name: 'a 503 with an HTML body',
            arrange: () =>
              graph.respondWith(
                () => new Response('<html>Service Unavailable</html>', { status: 503 }),
              ),
            category: 'provider' as const,
            retryable: true,
          },
        ],
        sent: () => toRendered(graph.messages()),
      },
    },
  };
}

runAdapterConformance(
  ({ clock }) => createWhatsAppCloudAdapter({ ...baseOptions, clock, rate: { perSecond: 1_000 } }),
  fixtures('whatsapp-cloud'),
);

runAdapterConformance(
  ({ clock }) =>
    createWhatsAppCloudAdapter({
      ...baseOptions,
      clock,
      rate: { perSecond: 1_000 },
      carouselTemplate: { name: 'product_cards', languageCode: 'en_US', quickReplyButton: true },
    }),
  fixtures('whatsapp-cloud with a carousel template'),
);
