import type { TemplateMessage } from '@threadline/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock } from './graph';

const graph = useGraphMock();
beforeEach(() => graph.reset());

const adapter = createWhatsAppCloudAdapter({ ...baseOptions, rate: { perSecond: 1_000 } });

async function sendTemplate(
  template: TemplateMessage,
  extra: { text?: string; replyTo?: string } = {},
) {
  await adapter.send({ deliveryId: 't1', to: { address: '+447700900123' }, template, ...extra });
  return graph.messages().map(({ messaging_product, recipient_type, to, ...message }) => message);
}

const template = (components?: unknown[]) => ({
  type: 'template',
  template: {
    name: 'order_update',
    language: { code: 'en_GB' },
    ...(components ? { components } : {}),
  },
});

describe('templates', () => {
  it('send name and language alone when there are no parameters', async () => {
    expect(await sendTemplate({ name: 'order_update', languageCode: 'en_GB' })).toEqual([
      template(),
    ]);
  });

  it('render named body values with parameter_name', async () => {
    const sent = await sendTemplate({
      name: 'order_update',
      languageCode: 'en_GB',
      values: { body: { first_name: 'Ann', order_number: '12345' } },
    });
    expect(sent).toEqual([
      template([
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'first_name', text: 'Ann' },
            { type: 'text', parameter_name: 'order_number', text: '12345' },
          ],
        },
      ]),
    ]);
  });

  it('render positional values ("1", "2", …) in number order without names', async () => {
    expect(
      await sendTemplate({
        name: 'order_update',
        languageCode: 'en_GB',
        values: { header: { '1': 'Order' }, body: { '2': '12345', '1': 'Ann' } },
      }),
    ).toEqual([
      template([
        { type: 'header', parameters: [{ type: 'text', text: 'Order' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ann' },
            { type: 'text', text: '12345' },
          ],
        },
      ]),
    ]);
  });

  it.each([
    [
      'image_url',
      { image_url: 'https://img.test/h.png' },
      { type: 'image', image: { link: 'https://img.test/h.png' } },
    ],
    ['image_id', { image_id: '3001' }, { type: 'image', image: { id: '3001' } }],
    [
      'video_url',
      { video_url: 'https://v.test/h.mp4' },
      { type: 'video', video: { link: 'https://v.test/h.mp4' } },
    ],
    [
      'document_url with document_filename',
      { document_url: 'https://f.test/a.pdf', document_filename: 'Invoice.pdf' },
      { type: 'document', document: { link: 'https://f.test/a.pdf', filename: 'Invoice.pdf' } },
    ],
    ['document_id', { document_id: '3002' }, { type: 'document', document: { id: '3002' } }],
  ])('render a %s header as a media parameter', async (_name, header, parameter) => {
    expect(
      await sendTemplate({ name: 'order_update', languageCode: 'en_GB', values: { header } }),
    ).toEqual([template([{ type: 'header', parameters: [parameter] }])]);
  });

  it('render quick-reply, URL and copy-code buttons by index, skipping a static phone button', async () => {
    const sent = await sendTemplate({
      name: 'order_update',
      languageCode: 'en_GB',
      values: {
        buttons: [
          { subType: 'quick_reply', index: 0, payload: 'TRACK' },
          { subType: 'url', index: 1, text: 'orders/12345' },
          { subType: 'copy_code', index: 2, couponCode: 'SPRING25' },
          { subType: 'phone_number', index: 3 },
        ],
      },
    });
    expect(sent).toEqual([
      template([
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: '0',
          parameters: [{ type: 'payload', payload: 'TRACK' }],
        },
        {
          type: 'button',
          sub_type: 'url',
          index: '1',
          parameters: [{ type: 'text', text: 'orders/12345' }],
        },
        {
          type: 'button',
          sub_type: 'copy_code',
          index: '2',
          parameters: [{ type: 'coupon_code', coupon_code: 'SPRING25' }],
        },
      ]),
    ]);
  });

  it('pass raw components through, with values filling only the slots they leave empty', async () => {
    const raw = [
      {
        type: 'body',
        parameters: [
          {
            type: 'currency',
            currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 },
          },
        ],
      },
    ];
    const sent = await sendTemplate({
      name: 'order_update',
      languageCode: 'en_GB',
      components: raw,
      values: { body: { first_name: 'ignored' }, header: { image_url: 'https://img.test/h.png' } },
    });
    expect(sent).toEqual([
      template([
        ...raw,
        {
          type: 'header',
          parameters: [{ type: 'image', image: { link: 'https://img.test/h.png' } }],
        },
      ]),
    ]);
  });

  it('send only the template when the envelope also has text, quoting replyTo', async () => {
    expect(
      await sendTemplate(
        { name: 'order_update', languageCode: 'en_GB' },
        { text: 'not sent', replyTo: 'wamid.Q' },
      ),
    ).toEqual([{ ...template(), context: { message_id: 'wamid.Q' } }]);
  });

  it.each([
    ['mixed positional and named values', { body: { '1': 'Ann', name: 'x' } }],
    ['a gap in positions', { body: { '1': 'Ann', '3': 'x' } }],
    ['a header with media and text', { header: { image_url: 'https://i.test', title: 'x' } }],
    ['two header media', { header: { image_url: 'https://i.test', video_url: 'https://v.test' } }],
    ['a file name without a document', { header: { document_filename: 'a.pdf' } }],
    ['a quick reply without payload', { buttons: [{ subType: 'quick_reply' as const, index: 0 }] }],
    ['a URL button without text', { buttons: [{ subType: 'url' as const, index: 0 }] }],
    [
      'a copy-code button without a code',
      { buttons: [{ subType: 'copy_code' as const, index: 0 }] },
    ],
  ])('refuse %s as a template error before calling Graph', async (_name, values) => {
    const error = await sendTemplate({ name: 'order_update', languageCode: 'en_GB', values }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ name: 'DeliveryError', category: 'template', retryable: false });
    expect(graph.requests).toEqual([]);
  });
});
