import type { Capabilities } from '@threadline/core';
import {
  type AdapterFactory,
  type AdapterFixtures,
  createTestAdapter,
  renderedFromSent,
  TEST_SIGNATURE_HEADER,
  type TestAdapter,
} from '../../src/index';

/**
 * The test adapter's own conformance fixtures: its "provider" is its recording (`adapter.sent`),
 * failures are programmed with `failNextWith`, and inbound comes through its signed webhook and
 * through `receive()` once started.
 */
export function testAdapterConformance(capabilities?: Capabilities): {
  factory: AdapterFactory;
  fixtures: Omit<AdapterFixtures, 'name'>;
} {
  let adapter: TestAdapter | undefined;
  const current = (): TestAdapter => {
    if (adapter === undefined) throw new Error('the factory has not run');
    return adapter;
  };

  const factory: AdapterFactory = ({ clock }) => {
    adapter = createTestAdapter({ id: 'test-conformance', capabilities, clock });
    return adapter;
  };

  const fixtures: Omit<AdapterFixtures, 'name'> = {
    reset: () => {
      adapter = undefined;
    },
    inbound: [
      {
        kind: 'webhook',
        name: 'signed JSON',
        publicUrl: 'https://test.threadline.local/webhooks/test-conformance',
        signatureHeader: TEST_SIGNATURE_HEADER,
        valid: () =>
          current().signedRequest({
            events: [
              { type: 'message', id: 'in-1', from: '+15550001', text: 'hello', name: 'Ann' },
              {
                type: 'status',
                id: 'test-msg-1',
                status: 'delivered',
                timestamp: 1_700_000_000_000,
              },
              { type: 'opt-out', from: '+15550001', keyword: 'STOP' },
            ],
          }),
        expected: [
          {
            type: 'message',
            message: {
              providerMessageId: 'in-1',
              from: { address: '+15550001', displayName: 'Ann' },
              text: 'hello',
            },
          },
          {
            type: 'status',
            providerMessageId: 'test-msg-1',
            status: 'delivered',
            timestamp: new Date(1_700_000_000_000),
          },
          { type: 'opt-out', from: { address: '+15550001' }, keyword: 'STOP' },
        ],
      },
      {
        kind: 'connection',
        name: 'receive()',
        trigger: async () => {
          await current().receive({ from: '+15550002', text: 'pushed in', id: 'pushed-1' });
        },
        expected: [
          {
            type: 'message',
            message: {
              providerMessageId: 'pushed-1',
              from: { address: '+15550002' },
              text: 'pushed in',
            },
          },
        ],
      },
    ],
    outbound: {
      recipient: { address: '+15550001', userId: 'user-1' },
      template: { name: 'appointment_reminder', languageCode: 'en_US' },
      provider: {
        // The test adapter accepts every send nothing was programmed to fail.
        accept: () => {},
        failures: [
          {
            name: 'a 429 with Retry-After',
            arrange: () => current().failNextWith('throttled', { retryAfterMs: 30_000 }),
            category: 'throttled',
            retryable: true,
            retryAfterMs: 30_000,
          },
          {
            name: 'a 5xx',
            arrange: () => current().failNextWith('provider', { httpStatus: 503 }),
            category: 'provider',
            retryable: true,
          },
          {
            name: 'an unsubscribed recipient',
            arrange: () => current().failNextWith('opted_out', { providerCode: '21610' }),
            category: 'opted_out',
            retryable: false,
          },
        ],
        sent: () => current().sent.flatMap(renderedFromSent),
      },
    },
  };
  return { factory, fixtures };
}
