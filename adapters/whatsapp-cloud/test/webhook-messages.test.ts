import { readFileSync } from 'node:fs';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock } from './graph';
import {
  createPoster,
  messagesChange,
  status,
  textMessage,
  webhookPayload,
  webhookRequest,
} from './webhooks';

/** What a verified webhook's messages become: every type, in payload order. */

useGraphMock();
const adapter = createWhatsAppCloudAdapter({ ...baseOptions, clock: createFakeClock() });
const post = createPoster(adapter);
const everyType = readFileSync(
  new URL('./fixtures/every-message-type.json', import.meta.url),
  'utf8',
);

describe('a batched payload with every message type', () => {
  it('normalises each message, in order, with E.164 senders and their profile names', async () => {
    const { response, events } = await post(webhookRequest(everyType));
    expect(response.status).toBe(200);
    const sheena = { address: '+16505551234', displayName: 'Sheena Nelson' };
    const base = { adapterId: adapter.id, channel: 'whatsapp' };
    expect(events).toEqual([
      {
        ...base,
        type: 'message',
        message: {
          providerMessageId: 'wamid.TEXT',
          from: sheena,
          timestamp: new Date(1_767_225_600_000),
          text: 'Hi, is my order ready?',
        },
      },
      {
        ...base,
        type: 'message',
        message: {
          providerMessageId: 'wamid.REPLY',
          from: sheena,
          timestamp: new Date(1_767_225_601_000),
          text: 'Yes, this one',
          replyTo: 'wamid.OURS',
          metadata: { forwarded: true },
        },
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          providerMessageId: 'wamid.BUTTON_REPLY',
          text: 'Track order',
          payload: 'Track order',
          replyTo: 'wamid.BUTTONS',
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: 'Green tea',
          payload: 'item-2',
          metadata: { description: 'Sencha, 250 g' },
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          providerMessageId: 'wamid.TEMPLATE_BUTTON',
          text: 'Stop promotions',
          payload: 'STOP_PROMOS',
          replyTo: 'wamid.TEMPLATE',
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: 'The dent',
          media: [
            {
              kind: 'image',
              mediaId: '1001',
              mimeType: 'image/jpeg',
              sha256: 'c2hhMjU2LWltYWdl',
              caption: 'The dent',
            },
          ],
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: '',
          media: [
            { kind: 'video', mediaId: '1002', mimeType: 'video/mp4', sha256: 'c2hhMjU2LXZpZGVv' },
          ],
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: '',
          media: [
            {
              kind: 'audio',
              mediaId: '1003',
              mimeType: 'audio/ogg; codecs=opus',
              sha256: 'c2hhMjU2LWF1ZGlv',
            },
          ],
          metadata: { voice: true },
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: 'My receipt',
          media: [
            {
              kind: 'document',
              mediaId: '1004',
              mimeType: 'application/pdf',
              sha256: 'c2hhMjU2LWRvYw==',
              caption: 'My receipt',
              filename: 'receipt.pdf',
            },
          ],
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          media: [
            {
              kind: 'sticker',
              mediaId: '1005',
              mimeType: 'image/webp',
              sha256: 'c2hhMjU2LXN0aWNrZXI=',
            },
          ],
          metadata: { animated: false },
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: '',
          location: {
            latitude: 51.5072,
            longitude: -0.1276,
            name: 'Office',
            address: '1 Example St, London',
          },
        }),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          text: '',
          contacts: [
            {
              name: { formatted_name: 'Ann Lee', first_name: 'Ann' },
              phones: [{ phone: '+44 7700 900456', type: 'CELL', wa_id: '447700900456' }],
            },
          ],
        }),
      },
      {
        ...base,
        type: 'reaction',
        from: sheena,
        providerMessageId: 'wamid.REACTION',
        targetMessageId: 'wamid.OURS',
        emoji: '👍',
        timestamp: new Date(1_767_225_612_000),
      },
      {
        ...base,
        type: 'reaction',
        from: sheena,
        providerMessageId: 'wamid.UNREACT',
        targetMessageId: 'wamid.OURS',
        emoji: '',
        timestamp: new Date(1_767_225_613_000),
      },
      {
        ...base,
        type: 'message',
        message: expect.objectContaining({
          providerMessageId: 'wamid.FLOW',
          from: { address: '+447700900123', displayName: 'Ravi' },
          text: 'Sent',
          payload: '{"flow_token":"d1","date":"2026-01-02"}',
          replyTo: 'wamid.FLOWMSG',
          metadata: { flow: { name: 'flow', response: { flow_token: 'd1', date: '2026-01-02' } } },
        }),
      },
      {
        ...base,
        type: 'unsupported',
        reason: 'message type unsupported: Message type unknown (131051)',
        from: sheena,
        providerMessageId: 'wamid.UNSUPPORTED',
        timestamp: new Date(1_767_225_615_000),
        raw: expect.objectContaining({ id: 'wamid.UNSUPPORTED', type: 'unsupported' }),
      },
      {
        ...base,
        type: 'unsupported',
        reason: 'message type hologram',
        from: sheena,
        providerMessageId: 'wamid.FUTURE',
        timestamp: new Date(1_767_225_616_000),
        raw: expect.objectContaining({ hologram: { id: '9' } }),
      },
    ]);
  });

  it('walks every entry and change, messages then statuses then errors within each', async () => {
    const payload = webhookPayload(
      [
        messagesChange({
          statuses: [status('wamid.S1', 'sent')],
          messages: [textMessage('16505551234', 'wamid.M1', 'one')],
        }),
        messagesChange({ messages: [textMessage('16505551234', 'wamid.M2', 'two')] }),
      ],
      [
        messagesChange({
          errors: [{ code: 131000, title: 'Something went wrong' }],
          statuses: [status('wamid.S2', 'read')],
        }),
      ],
    );
    const { events } = await post(webhookRequest(payload));
    expect(
      events.map((event) => [
        event.type,
        'providerMessageId' in event
          ? event.providerMessageId
          : event.type === 'message'
            ? event.message.providerMessageId
            : undefined,
      ]),
    ).toEqual([
      ['message', 'wamid.M1'],
      ['status', 'wamid.S1'],
      ['message', 'wamid.M2'],
      ['status', 'wamid.S2'],
      ['unsupported', undefined],
    ]);
    expect(events[4]).toMatchObject({
      type: 'unsupported',
      reason: 'WhatsApp error 131000 (provider): Something went wrong',
      raw: { code: 131000, title: 'Something went wrong' },
    });
  });
});
