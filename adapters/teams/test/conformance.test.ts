import { runAdapterConformance } from '@threadline/testkit';
import { HttpResponse } from 'msw';
import { createTeamsAdapter } from '../src/index';
import { baseOptions, useConnectorMock } from './connector';
import { MEGAN_REFERENCE, personalMessage } from './fixtures/activities';
import { toRendered } from './rendered';
import { activityRequest, WEBHOOK_URL } from './requests';

const connector = useConnectorMock();

const failures = [
  ['429 with Retry-After: 7', 429, 'TooManyRequests', 'throttled', true, '7'],
  [
    '403 bot not in the conversation roster',
    403,
    'BotNotInConversationRoster',
    'unreachable',
    false,
  ],
  ['404 conversation not found', 404, 'ConversationNotFound', 'unreachable', false],
  ['401 unauthorized', 401, 'Unauthorized', 'auth', false],
  ['412 precondition failed', 412, 'PreconditionFailed', 'provider', true],
  ['502 bad gateway', 502, 'BadGateway', 'provider', true],
] as const;

runAdapterConformance(({ clock }) => createTeamsAdapter({ ...baseOptions, clock }), {
  name: 'teams',
  reset: () => connector.reset(),
  inbound: {
    kind: 'webhook',
    name: 'a personal message',
    publicUrl: WEBHOOK_URL,
    signatureHeader: 'authorization',
    signatureCovers: 'sender',
    valid: () => activityRequest(personalMessage),
    expected: [
      {
        type: 'message',
        message: {
          providerMessageId: personalMessage.id,
          from: { address: personalMessage.from.id },
          text: personalMessage.text,
        },
      },
    ],
  },
  outbound: {
    recipient: { address: personalMessage.from.id, reference: MEGAN_REFERENCE },
    honoursAbort: true,
    provider: {
      accept: () => {},
      failures: [
        ...failures.map(([name, status, code, category, retryable, retryAfter]) => ({
          name,
          arrange: () =>
            connector.fail(status, code, retryAfter === undefined ? {} : { retryAfter }),
          category,
          retryable,
          ...(retryAfter === undefined ? {} : { retryAfterMs: Number(retryAfter) * 1_000 }),
        })),
        {
          name: 'a 503 with an HTML body',
          arrange: () =>
            connector.respondWith(
              () => new HttpResponse('<html>Service Unavailable</html>', { status: 503 }),
            ),
          category: 'provider' as const,
          retryable: true,
        },
      ],
      sent: () => toRendered(connector.posted.map((posted) => posted.body)),
    },
  },
});
