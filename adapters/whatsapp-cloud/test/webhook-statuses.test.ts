import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { baseOptions, PHONE_NUMBER_ID, useGraphMock } from './graph';
import {
  createPoster,
  messagesChange,
  status,
  textMessage,
  webhookPayload,
  webhookRequest,
} from './webhooks';

/** Statuses (receipts, failures, pricing), and what the adapter reports without acting on. */

useGraphMock();
const adapter = createWhatsAppCloudAdapter({ ...baseOptions, clock: createFakeClock() });
const post = createPoster(adapter);

describe('statuses', () => {
  it('become status events with the wamid, E.164 recipient, time and pricing', async () => {
    const pricing = { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' };
    const conversation = {
      id: 'c1',
      origin: { type: 'utility' },
      expiration_timestamp: '1767312000',
    };
    const { events } = await post(
      webhookRequest(
        webhookPayload([
          messagesChange({
            statuses: [
              status('wamid.OUT', 'sent', { pricing, conversation }),
              status('wamid.OUT', 'delivered', { pricing }),
              status('wamid.OUT', 'read'),
              status('wamid.VOICE', 'played'),
            ],
          }),
        ]),
      ),
    );
    expect(events).toEqual([
      {
        type: 'status',
        adapterId: adapter.id,
        channel: 'whatsapp',
        providerMessageId: 'wamid.OUT',
        status: 'sent',
        timestamp: new Date(1_767_225_660_000),
        address: '+16505551234',
        pricing: { ...pricing, conversation },
      },
      expect.objectContaining({ status: 'delivered', pricing }),
      expect.objectContaining({ status: 'read' }),
      expect.objectContaining({ providerMessageId: 'wamid.VOICE', status: 'read' }),
    ]);
    expect(events[2]).not.toHaveProperty('pricing');
  });

  it('carry the error of a failed status, mapped by the same table as send errors', async () => {
    const failed = (code: number, title: string) =>
      status(`wamid.F${code}`, 'failed', {
        errors: [{ code, title, message: title, error_data: { details: `${title}: details` } }],
      });
    const { events } = await post(
      webhookRequest(
        webhookPayload([
          messagesChange({
            statuses: [
              failed(131047, 'Re-engagement message'),
              failed(131026, 'Message undeliverable'),
              failed(
                131049,
                'This message was not delivered to maintain healthy ecosystem engagement.',
              ),
              failed(132015, 'Template is paused'),
              status('wamid.BARE', 'failed'),
            ],
          }),
        ]),
      ),
    );
    expect(events.map((event) => (event.type === 'status' ? event.error : undefined))).toEqual([
      {
        category: 'window_closed',
        providerCode: '131047',
        title: 'Re-engagement message',
        detail: 'Re-engagement message: details',
      },
      {
        category: 'unreachable',
        providerCode: '131026',
        title: 'Message undeliverable',
        detail: 'Message undeliverable: details',
      },
      expect.objectContaining({ category: 'compliance', providerCode: '131049' }),
      expect.objectContaining({ category: 'template', providerCode: '132015' }),
      { category: 'unknown' },
    ]);
  });

  it('report an unknown status value as unsupported instead of dropping it', async () => {
    const { events } = await post(
      webhookRequest(
        webhookPayload([messagesChange({ statuses: [status('wamid.X', 'deleted')] })]),
      ),
    );
    expect(events).toEqual([
      expect.objectContaining({ type: 'unsupported', reason: 'status deleted' }),
    ]);
  });
});

describe('what the adapter does not act on is still reported', () => {
  it.each([
    [
      'another phone number of the same app',
      webhookPayload([
        messagesChange({ phoneNumberId: '999', messages: [textMessage('16505551234', 'w', 'hi')] }),
      ]),
      `event for phone number id 999, which no adapter here serves (serving ${PHONE_NUMBER_ID})`,
    ],
    [
      'another webhook field',
      webhookPayload([{ field: 'message_template_status_update', value: { event: 'APPROVED' } }]),
      'webhook field message_template_status_update',
    ],
    ['another object', { object: 'page', entry: [] }, 'object page'],
    [
      'a sender that is not a phone number',
      webhookPayload([
        messagesChange({ messages: [textMessage('US.13491208655302741918', 'w', 'hi')] }),
      ]),
      'sender US.13491208655302741918 is not a phone number',
    ],
    [
      'a message missing its body',
      webhookPayload([
        messagesChange({
          messages: [{ from: '16505551234', id: 'w', timestamp: '1', type: 'text' }],
        }),
      ]),
      'malformed text message',
    ],
    [
      'a message without an id',
      webhookPayload([messagesChange({ messages: [{ from: '16505551234', type: 'text' }] })]),
      'a message without from, id, timestamp or type',
    ],
  ])('%s becomes an unsupported event with the raw JSON', async (_name, payload, reason) => {
    const { response, events } = await post(webhookRequest(payload));
    expect(response.status).toBe(200);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'unsupported',
        reason,
        raw: expect.anything(),
        timestamp: expect.any(Date),
      }),
    ]);
  });
});
