import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppEmulator, type WhatsAppEmulator } from '../src';

const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'test-token';
const TO = '447700900123';

let emulator: WhatsAppEmulator;

beforeAll(async () => {
  // A person who wrote just now, so free-form messages are inside the window; no webhook URL:
  // this file is about the Graph API's answers, not about what is posted back.
  emulator = createWhatsAppEmulator({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: TOKEN,
    appSecret: 's',
    rate: 1000,
  });
  await emulator.start();
  await emulator.receiveFrom(`+${TO}`).send('hello');
});
afterAll(() => emulator.stop());

function send(body: unknown, token = TOKEN, path = `/v21.0/${PHONE_NUMBER_ID}/messages`) {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: `+${TO}` };
const link = 'https://example.com/file';

const accepted: Array<[string, Record<string, unknown>]> = [
  ['text', { type: 'text', text: { body: 'Hi Ann', preview_url: false } }],
  ['text without a type (Graph defaults to text)', { text: { body: 'Hi' } }],
  [
    'a reply with context',
    { type: 'text', text: { body: 'Yes' }, context: { message_id: 'wamid.X' } },
  ],
  [
    'image by link with caption',
    { type: 'image', image: { link: `${link}.png`, caption: 'Menu' } },
  ],
  ['image by id', { type: 'image', image: { id: '1037543291543636' } }],
  ['video', { type: 'video', video: { link: `${link}.mp4`, caption: 'Clip' } }],
  ['audio', { type: 'audio', audio: { link: `${link}.ogg` } }],
  [
    'document',
    {
      type: 'document',
      document: { link: `${link}.pdf`, filename: 'invoice.pdf', caption: 'Invoice' },
    },
  ],
  ['sticker', { type: 'sticker', sticker: { id: '123' } }],
  ['reaction', { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }],
  [
    'location',
    { type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'Office' } },
  ],
  [
    'reply buttons',
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Table' },
        body: { text: 'Confirm?' },
        footer: { text: 'Reply below' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
            { type: 'reply', reply: { id: 'no', title: 'No' } },
          ],
        },
      },
    },
  ],
  [
    'list',
    {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Pick a time' },
        action: {
          button: 'Times',
          sections: [
            { title: 'Evening', rows: [{ id: '19', title: '19:00', description: 'Window seat' }] },
            { title: 'Late', rows: [{ id: '21', title: '21:00' }] },
          ],
        },
      },
    },
  ],
  [
    'cta_url',
    {
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: 'Track it' },
        action: {
          name: 'cta_url',
          parameters: { display_text: 'Track', url: 'https://example.com/t/1' },
        },
      },
    },
  ],
  [
    'flow',
    {
      type: 'interactive',
      interactive: {
        type: 'flow',
        body: { text: 'Book' },
        action: {
          name: 'flow',
          parameters: {
            flow_message_version: '3',
            flow_id: '1234',
            flow_cta: 'Book now',
            flow_token: 'tok',
          },
        },
      },
    },
  ],
  [
    'template with parameters',
    {
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: `${link}.png` } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ann' },
              {
                type: 'currency',
                currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 },
              },
              { type: 'date_time', date_time: { fallback_value: 'May 1' } },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'P1' }],
          },
        ],
      },
    },
  ],
];

const rejected: Array<[string, Record<string, unknown>, number]> = [
  [
    'no messaging_product',
    { to: TO, type: 'text', text: { body: 'x' }, messaging_product: undefined },
    131008,
  ],
  ['no text body', { type: 'text', text: {} }, 131008],
  ['an unknown key', { type: 'text', text: { body: 'x', bold: true } }, 100],
  ['an unknown type', { type: 'carousel', carousel: {} }, 100],
  ['text over 4096 characters', { type: 'text', text: { body: 'x'.repeat(4097) } }, 131009],
  ['media without id or link', { type: 'image', image: { caption: 'x' } }, 131008],
  [
    'media with both id and link',
    { type: 'image', image: { id: '1', link: `${link}.png` } },
    131009,
  ],
  ['a caption on audio', { type: 'audio', audio: { link: `${link}.ogg`, caption: 'no' } }, 100],
  [
    'four reply buttons',
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'b' },
        action: {
          buttons: ['a', 'b', 'c', 'd'].map((id) => ({ type: 'reply', reply: { id, title: id } })),
        },
      },
    },
    131009,
  ],
  [
    'a button title over 20 characters',
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'b' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
      },
    },
    131009,
  ],
  [
    'duplicate button titles',
    {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'b' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'a', title: 'Same' } },
            { type: 'reply', reply: { id: 'b', title: 'Same' } },
          ],
        },
      },
    },
    131009,
  ],
  [
    'eleven list rows',
    {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'b' },
        action: {
          button: 'Go',
          sections: [
            {
              title: 'A',
              rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: `A${i}` })),
            },
            {
              title: 'B',
              rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: `B${i}` })),
            },
          ],
        },
      },
    },
    131009,
  ],
  [
    'untitled sections in a multi-section list',
    {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'b' },
        action: {
          button: 'Go',
          sections: [{ rows: [{ id: '1', title: 'a' }] }, { rows: [{ id: '2', title: 'b' }] }],
        },
      },
    },
    131009,
  ],
  [
    'a cta_url without a url',
    {
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: 'b' },
        action: { name: 'cta_url', parameters: { display_text: 'Go' } },
      },
    },
    131008,
  ],
  [
    'a flow with both flow_id and flow_name',
    {
      type: 'interactive',
      interactive: {
        type: 'flow',
        body: { text: 'b' },
        action: {
          name: 'flow',
          parameters: { flow_message_version: '3', flow_cta: 'Go', flow_id: '1', flow_name: 'n' },
        },
      },
    },
    131009,
  ],
  [
    'a template without a language',
    { type: 'template', template: { name: 'order_update' } },
    131008,
  ],
  [
    'a template parameter of an unknown type',
    {
      type: 'template',
      template: {
        name: 't',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'emoji', emoji: 'x' }] }],
      },
    },
    100,
  ],
  ['a recipient that is not a phone number', { to: 'ann', type: 'text', text: { body: 'x' } }, 100],
];

describe('POST /{phone-number-id}/messages', () => {
  it('refuses a wrong access token with 401 and Graph error 190', async () => {
    const response = await send({ ...base, text: { body: 'x' } }, 'wrong');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    const { error } = await response.json();
    expect(error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(error.fbtrace_id).toEqual(expect.any(String));
  });

  it('answers an unknown phone-number id as an unknown Graph object (100, subcode 33)', async () => {
    const response = await send({ ...base, text: { body: 'x' } }, TOKEN, '/v21.0/999/messages');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it.each(accepted)('accepts %s with the real success shape', async (_name, message) => {
    const response = await send({ ...base, ...message });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${TO}`, wa_id: TO }],
      messages: [
        message.type === 'template'
          ? { id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }
          : { id: expect.stringMatching(/^wamid\./) },
      ],
    });
    expect(emulator.message(body.messages[0].id)).toMatchObject({
      side: 'business',
      status: expect.any(String),
    });
  });

  it.each(rejected)('refuses %s with a Graph error envelope', async (_name, message, code) => {
    const response = await send({ ...base, ...message });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe(code);
    expect(error.message).toMatch(new RegExp(`^\\(#${code}\\) `));
    expect(error.error_data).toEqual({
      messaging_product: 'whatsapp',
      details: expect.any(String),
    });
  });

  it('refuses a body that is not JSON with error 100', async () => {
    const response = await send('{not json');
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(100);
  });

  it('serves the same endpoint without a version segment, as Graph does', async () => {
    const response = await send(
      { ...base, text: { body: 'x' } },
      TOKEN,
      `/${PHONE_NUMBER_ID}/messages`,
    );
    expect(response.status).toBe(200);
  });

  it('answers an unknown path with Graph error 2500', async () => {
    const response = await fetch(`${emulator.url}/v21.0/${PHONE_NUMBER_ID}/nothing/here`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(2500);
  });

  it('marks a person message read and shows a typing indicator', async () => {
    const ann = emulator.receiveFrom(`+${TO}`);
    const first = await ann.send('one');
    const second = await ann.send('two');
    const typing: string[] = [];
    const off = emulator.on('typing', ({ waId }) => typing.push(waId));
    const response = await send({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: second.id,
      typing_indicator: { type: 'text' },
    });
    off();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
    // Reading the latest message reads the earlier ones too.
    expect(emulator.message(first.id)).toMatchObject({ readByBusiness: true });
    expect(typing).toEqual([TO]);
  });

  it('refuses mark-as-read for an unknown message id with 131009', async () => {
    const response = await send({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.nope',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(131009);
  });
});
