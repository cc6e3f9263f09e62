import { runAdapterConformance } from '@threadline/testkit';
import { createMetaMessengerAdapter } from '../src/index';
import { fill, IGSID, PSID } from './fill';
import * as meta from './fixtures/meta-examples';
import { toRendered as rendered } from './rendered';
import { baseOptions, IG_ACCOUNT_ID, useSendApiMock } from './send-api';
import { envelope, INSTAGRAM_URL, MESSENGER_URL, webhookRequest } from './webhooks';

const api = useSendApiMock();

const failures = [
  {
    name: 'error 10/2018278 (outside the window)',
    status: 400,
    code: 10,
    subcode: 2018278,
    category: 'window_closed',
    retryable: false,
  },
  {
    name: 'error 551/1545041 (person unavailable)',
    status: 400,
    code: 551,
    subcode: 1545041,
    category: 'unreachable',
    retryable: false,
  },
  {
    name: 'error 613 (rate limit)',
    status: 400,
    code: 613,
    category: 'throttled',
    retryable: true,
  },
  { name: 'error 190 (token expired)', status: 401, code: 190, category: 'auth', retryable: false },
  {
    name: 'error 100 (invalid parameter)',
    status: 400,
    code: 100,
    category: 'invalid_request',
    retryable: false,
  },
] as const;

function fixtures(name: string, platform: 'messenger' | 'instagram') {
  const messenger = platform === 'messenger';
  const user = messenger ? PSID : IGSID;
  return {
    name,
    reset: () => api.reset(),
    inbound: [
      {
        kind: 'webhook' as const,
        name: 'a documented text message',
        publicUrl: messenger ? MESSENGER_URL : INSTAGRAM_URL,
        signatureHeader: 'x-hub-signature-256',
        valid: () =>
          webhookRequest(
            fill(messenger ? envelope('page', [meta.textMessage]) : meta.instagramText),
            {
              url: messenger ? MESSENGER_URL : INSTAGRAM_URL,
            },
          ),
        expected: [
          {
            type: 'message' as const,
            message: messenger
              ? {
                  providerMessageId: 'mid.1457764197618:41d102a3e1ae206a38',
                  from: { address: PSID },
                  text: 'hello, world!',
                  timestamp: new Date(1458692752478),
                }
              : {
                  providerMessageId: 'MESSAGE-ID',
                  from: { address: IGSID },
                  text: 'MESSAGE-TEXT',
                  timestamp: new Date(1569262485349),
                },
          },
        ],
      },
      {
        kind: 'webhook' as const,
        name: 'a batch of two entries: a read receipt and a reaction',
        publicUrl: messenger ? MESSENGER_URL : INSTAGRAM_URL,
        signatureHeader: 'x-hub-signature-256',
        valid: () =>
          webhookRequest(
            fill(
              envelope(
                messenger ? 'page' : 'instagram',
                [{ ...meta.read, sender: { id: user } }],
                [{ ...meta.reaction, sender: { id: user } }],
              ),
            ),
            { url: messenger ? MESSENGER_URL : INSTAGRAM_URL },
          ),
        expected: [
          {
            type: 'status-watermark' as const,
            status: 'read' as const,
            address: user,
            watermark: new Date(1458668856253),
          },
          {
            type: 'reaction' as const,
            targetMessageId: '<MID_OF_ReactedTo_Message>',
            emoji: '\u2764\uFE0F',
            from: { address: user },
          },
        ],
      },
    ],
    outbound: {
      recipient: { address: user },
      honoursAbort: true,
      provider: {
        accept: () => {},
        failures: failures.map((failure) => ({
          name: failure.name,
          arrange: () =>
            api.fail(
              failure.status,
              failure.code,
              'subcode' in failure ? failure.subcode : undefined,
            ),
          category: failure.category,
          retryable: failure.retryable,
        })),
        sent: () => rendered(api.messages()),
      },
    },
  };
}

runAdapterConformance(
  ({ clock }) => createMetaMessengerAdapter({ ...baseOptions, clock, rate: { perSecond: 1_000 } }),
  fixtures('meta-messenger (Messenger)', 'messenger'),
);

runAdapterConformance(
  ({ clock }) =>
    createMetaMessengerAdapter({
      ...baseOptions,
      platform: 'instagram',
      instagramAccountId: IG_ACCOUNT_ID,
      clock,
      rate: { perSecond: 1_000 },
    }),
  fixtures('meta-messenger (Instagram)', 'instagram'),
);
