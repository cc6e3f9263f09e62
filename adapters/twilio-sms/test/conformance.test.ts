import { runAdapterConformance } from '@threadline/testkit';
import { createTwilioSmsAdapter } from '../src/index';
import { baseOptions, useTwilioMock } from './twilio-api';
import { ANN, inboundSms, signedRequest, statusCallback, WEBHOOK_URL } from './webhooks';

const twilio = useTwilioMock();

const SID = 'SM00000000000000000000000000000001';

const failures = [
  {
    name: 'error 21610 (replied STOP)',
    status: 400,
    code: 21610,
    category: 'opted_out',
    retryable: false,
  },
  {
    name: 'error 21211 (invalid To)',
    status: 400,
    code: 21211,
    category: 'invalid_request',
    retryable: false,
  },
  {
    name: 'error 21614 (not a mobile)',
    status: 400,
    code: 21614,
    category: 'unreachable',
    retryable: false,
  },
  {
    name: 'error 21408 (region not enabled)',
    status: 400,
    code: 21408,
    category: 'unreachable',
    retryable: false,
  },
  {
    name: 'error 20003 (authentication)',
    status: 401,
    code: 20003,
    category: 'auth',
    retryable: false,
  },
] as const;

runAdapterConformance(
  ({ clock }) => createTwilioSmsAdapter({ ...baseOptions, clock, rate: { perSecond: 1_000 } }),
  {
    name: 'twilio-sms',
    reset: () => twilio.reset(),
    inbound: [
      {
        kind: 'webhook',
        name: 'an incoming SMS',
        publicUrl: WEBHOOK_URL,
        signatureHeader: 'x-twilio-signature',
        valid: () => signedRequest(inboundSms('hello there', SID)),
        expected: [
          {
            type: 'message',
            message: { providerMessageId: SID, from: { address: ANN }, text: 'hello there' },
          },
        ],
      },
      {
        kind: 'webhook',
        name: 'a status callback with an error code',
        publicUrl: WEBHOOK_URL,
        signatureHeader: 'x-twilio-signature',
        valid: () => signedRequest(statusCallback(SID, 'undelivered', { ErrorCode: '30006' })),
        expected: [
          {
            type: 'status',
            providerMessageId: SID,
            status: 'failed',
            error: { category: 'unreachable', providerCode: '30006' },
          },
        ],
      },
    ],
    outbound: {
      recipient: { address: ANN },
      honoursAbort: true,
      provider: {
        accept: () => {},
        failures: [
          ...failures.map((failure) => ({
            name: failure.name,
            arrange: () => twilio.fail(failure.status, failure.code),
            category: failure.category,
            retryable: failure.retryable,
          })),
          {
            name: 'a 429 (20429) with Retry-After: 3',
            arrange: () => twilio.fail(429, 20429, { retryAfter: '3' }),
            category: 'throttled' as const,
            retryable: true,
            retryAfterMs: 3_000,
          },
          {
            name: 'a 503 with an HTML body',
            arrange: () =>
              twilio.respondWith(
                () => new Response('<html>Service Unavailable</html>', { status: 503 }),
              ),
            category: 'provider' as const,
            retryable: true,
          },
        ],
        sent: () => twilio.rendered(),
      },
    },
  },
);
