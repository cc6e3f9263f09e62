// The runAdapterConformance example of README.md, run as written (imports from source), so the
// README cannot drift from the API.
// test/conformance.test.ts
import {
  createTestAdapter,
  renderedFromSent,
  runAdapterConformance,
  TEST_SIGNATURE_HEADER,
  type TestAdapter,
} from '../../src/index';

let adapter: TestAdapter;

runAdapterConformance(
  ({ clock }) => {
    adapter = createTestAdapter({ id: 'loopback', clock });
    return adapter;
  },
  {
    name: 'loopback',
    inbound: {
      kind: 'webhook',
      publicUrl: 'https://test.threadline.local/webhooks/loopback',
      signatureHeader: TEST_SIGNATURE_HEADER,
      valid: () =>
        adapter.signedRequest({
          events: [{ type: 'message', id: 'in-1', from: '+15550001', text: 'hello' }],
        }),
      expected: [{ type: 'message', message: { providerMessageId: 'in-1', text: 'hello' } }],
    },
    outbound: {
      recipient: { address: '+15550001' },
      // Its capabilities claim templates, so the suite sends one.
      template: { name: 'appointment_reminder', languageCode: 'en_US' },
      provider: {
        accept: () => {},
        failures: [
          {
            name: 'a 429 with Retry-After',
            arrange: () => adapter.failNextWith('throttled', { retryAfterMs: 5_000 }),
            category: 'throttled',
            retryable: true,
            retryAfterMs: 5_000,
          },
        ],
        sent: () => adapter.sent.flatMap(renderedFromSent),
      },
    },
  },
);
