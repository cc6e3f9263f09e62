import { describe, expect, it } from 'vitest';
import { createMetaMessengerAdapter } from '../src/index';
import { IGSID, PSID } from './fill';
import { baseOptions, IG_ACCOUNT_ID, PAGE_TOKEN, useSendApiMock } from './send-api';

const api = useSendApiMock();
const adapter = () => createMetaMessengerAdapter(baseOptions);
const to = { address: PSID };

describe('sending through the Send API', () => {
  it('sends text as RESPONSE with the Page token and returns the mid', async () => {
    const result = await adapter().send({ deliveryId: 'd1', to, text: 'Hello Ann' });
    expect(result).toEqual({ providerMessageId: 'm_out_1', status: 'accepted' });
    expect(api.requests[0]?.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(api.messages()).toEqual([
      { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Hello Ann' } },
    ]);
  });

  it('sends with MESSAGE_TAG and the tag the core chose', async () => {
    await adapter().send({
      deliveryId: 'd1',
      to,
      text: 'Your order shipped',
      tag: 'POST_PURCHASE_UPDATE',
    });
    expect(api.messages()[0]).toMatchObject({
      messaging_type: 'MESSAGE_TAG',
      tag: 'POST_PURCHASE_UPDATE',
    });
  });

  it('splits text over 2,000 characters on Messenger and 1,000 on Instagram, every id returned', async () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const result = await adapter().send({ deliveryId: 'd1', to, text: words });
    const texts = api.messages().map((b) => b.message.text as string);
    expect(texts.every((t) => t.length <= 2000)).toBe(true);
    expect(texts.join(' ')).toBe(words);
    expect(result.providerMessageIds).toHaveLength(texts.length);
    api.reset();
    const ig = createMetaMessengerAdapter({
      ...baseOptions,
      platform: 'instagram',
      instagramAccountId: IG_ACCOUNT_ID,
    });
    await ig.send({ deliveryId: 'd2', to: { address: IGSID }, text: words });
    expect(api.messages().every((b) => b.message.text.length <= 1000)).toBe(true);
  });

  it('a retry of a split message resumes after the parts already sent', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const a = adapter();
    api.respondWith(() => Response.json({ recipient_id: PSID, message_id: 'm_first' }));
    api.fail(500, 2);
    await expect(a.send({ deliveryId: 'd1', to, text })).rejects.toMatchObject({
      category: 'provider',
      retryable: true,
    });
    const result = await a.send({ deliveryId: 'd1', to, text });
    expect(result.providerMessageId).toBe('m_first');
    expect(api.messages()).toHaveLength(1 + 1 + (result.providerMessageIds?.length ?? 1) - 1);
  });

  it('renders actions as quick replies with the text before them', async () => {
    await adapter().send({
      deliveryId: 'd1',
      to,
      text: 'Table for how many?\n::: actions\n- Two\n- Four\n:::',
    });
    expect(api.messages()[0]?.message).toEqual({
      text: 'Table for how many?',
      quick_replies: [
        { content_type: 'text', title: 'Two', payload: 'Two' },
        { content_type: 'text', title: 'Four', payload: 'Four' },
      ],
    });
  });

  it('falls back to text past 13 quick replies or 20-character titles', async () => {
    const many = Array.from({ length: 14 }, (_, i) => `- Option ${i}`).join('\n');
    await adapter().send({ deliveryId: 'd1', to, text: `Pick:\n::: actions\n${many}\n:::` });
    expect(api.messages().every((b) => b.message.quick_replies === undefined)).toBe(true);
    expect(
      api
        .messages()
        .map((b) => b.message.text)
        .join('\n'),
    ).toContain('Option 13');
  });

  it('renders cards as a generic template and payment as a button template', async () => {
    await adapter().send({
      deliveryId: 'd1',
      to,
      text: '::: horizontal-list-item\n![image](https://x.test/a.png)\n#Room A\n##Sea view\n:::\n::: horizontal-list-item\n#Room B\n:::\nTotal $12\n::: payment\n[Pay now](https://pay.example.test/1)\n:::',
    });
    const [cards, payment] = api.messages().map((b) => b.message.attachment);
    expect(cards.payload.template_type).toBe('generic');
    expect(cards.payload.elements.map((e: { title: string }) => e.title)).toEqual([
      'Room A',
      'Room B',
    ]);
    expect(cards.payload.elements[0]).toMatchObject({
      image_url: 'https://x.test/a.png',
      subtitle: 'Sea view',
      buttons: [{ type: 'postback', payload: 'item-1' }],
    });
    expect(payment.payload).toEqual({
      template_type: 'button',
      text: 'Total $12',
      buttons: [{ type: 'web_url', url: 'https://pay.example.test/1', title: 'Pay now' }],
    });
  });

  it('Instagram has no button template: payment falls back to text', async () => {
    const ig = createMetaMessengerAdapter({
      ...baseOptions,
      platform: 'instagram',
      instagramAccountId: IG_ACCOUNT_ID,
    });
    await ig.send({
      deliveryId: 'd1',
      to: { address: IGSID },
      text: 'Total $12\n::: payment\n[Pay now](https://pay.example.test/1)\n:::',
    });
    expect(api.messages().every((b) => b.message.attachment === undefined)).toBe(true);
    expect(
      api
        .messages()
        .map((b) => b.message.text)
        .join('\n'),
    ).toContain('https://pay.example.test/1');
  });

  it('sends media by URL or attachment id, caption first, and quotes replyTo on the first message', async () => {
    await adapter().send({
      deliveryId: 'd1',
      to,
      replyTo: 'm_in_1',
      media: [
        { kind: 'image', url: 'https://x.test/a.png', caption: 'The menu' },
        { kind: 'document', mediaId: '1857777774821032' },
      ],
    });
    expect(api.messages()).toEqual([
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { text: 'The menu' },
        reply_to: { mid: 'm_in_1' },
      },
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: {
          attachment: {
            type: 'image',
            payload: { url: 'https://x.test/a.png', is_reusable: true },
          },
        },
      },
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'file', payload: { attachment_id: '1857777774821032' } } },
      },
    ]);
  });

  it('sender actions: typing, mark seen, react and unreact', async () => {
    const a = adapter();
    await a.sendTyping({ to });
    await a.markRead({ to, providerMessageId: 'm_in_1' });
    await a.react({ to, providerMessageId: 'm_in_1', emoji: '👍' });
    await a.react({ to, providerMessageId: 'm_in_1', emoji: '' });
    expect(api.actions()).toEqual([
      { recipient: { id: PSID }, sender_action: 'typing_on' },
      { recipient: { id: PSID }, sender_action: 'mark_seen' },
      {
        recipient: { id: PSID },
        sender_action: 'react',
        payload: { message_id: 'm_in_1', reaction: '👍' },
      },
      { recipient: { id: PSID }, sender_action: 'unreact', payload: { message_id: 'm_in_1' } },
    ]);
  });

  it('refuses an address that is not a PSID before calling Meta', async () => {
    await expect(
      adapter().send({ deliveryId: 'd1', to: { address: 'ann@example.com' }, text: 'x' }),
    ).rejects.toMatchObject({ category: 'invalid_request' });
    expect(api.requests).toHaveLength(0);
  });
});

describe('options', () => {
  it('names the bad option: Instagram needs its account id and allows only HUMAN_AGENT', () => {
    expect(() => createMetaMessengerAdapter({ ...baseOptions, platform: 'instagram' })).toThrow(
      /instagramAccountId/,
    );
    expect(() =>
      createMetaMessengerAdapter({
        ...baseOptions,
        platform: 'instagram',
        instagramAccountId: IG_ACCOUNT_ID,
        messageTags: ['ACCOUNT_UPDATE'],
      }),
    ).toThrow(/messageTags/);
    expect(() => createMetaMessengerAdapter({ ...baseOptions, pageId: 'my-page' })).toThrow(
      /pageId/,
    );
  });

  it('declares each platform’s tags and the app’s own', () => {
    const m = createMetaMessengerAdapter({
      ...baseOptions,
      messageTags: ['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE'],
    });
    expect(m.capabilities.window?.tags?.map((t) => [t.name, t.hours])).toEqual([
      ['HUMAN_AGENT', 168],
      ['CONFIRMED_EVENT_UPDATE', undefined],
      ['POST_PURCHASE_UPDATE', undefined],
      ['ACCOUNT_UPDATE', undefined],
    ]);
    expect(m.windowTags).toEqual(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE']);
    const ig = createMetaMessengerAdapter({
      ...baseOptions,
      platform: 'instagram',
      instagramAccountId: IG_ACCOUNT_ID,
    });
    expect(ig.capabilities.window?.tags?.map((t) => t.name)).toEqual(['HUMAN_AGENT']);
    expect(ig.capabilities.components.payment.mode).toBe('fallback');
    expect(ig.capabilities.media.document).toBeUndefined();
  });
});
