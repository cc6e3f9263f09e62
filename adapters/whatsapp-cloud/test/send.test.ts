import { DeliveryError, type OutboundEnvelope, parseMessage, splitText } from '@threadline/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import {
  ACCESS_TOKEN,
  API_VERSION,
  baseOptions,
  GRAPH_BASE_URL,
  PHONE_NUMBER_ID,
  useGraphMock,
} from './graph';

const graph = useGraphMock();
beforeEach(() => graph.reset());

const TO = '+16505551234';
const adapter = createWhatsAppCloudAdapter({ ...baseOptions, rate: { perSecond: 1_000 } });

let deliveries = 0;
function envelope(
  text: string | undefined,
  extra: Partial<OutboundEnvelope> = {},
): OutboundEnvelope {
  return {
    deliveryId: `d${++deliveries}`,
    to: { address: TO },
    ...(text === undefined ? {} : { text, parts: parseMessage(text) }),
    ...extra,
  };
}

/** What Graph received, without the fields every message repeats. */
const sent = () =>
  graph.messages().map(({ messaging_product, recipient_type, to, ...message }) => {
    expect([messaging_product, recipient_type, to]).toEqual([
      'whatsapp',
      'individual',
      '16505551234',
    ]);
    return message;
  });

const text = (body: string, preview = false) => ({
  type: 'text',
  text: { body, preview_url: preview },
});

describe('text', () => {
  it('posts to /{version}/{phone-number-id}/messages with the bearer token and returns the wamid', async () => {
    const result = await adapter.send(envelope('Hello Ann'));
    expect(graph.requests[0]).toMatchObject({
      method: 'POST',
      url: `${GRAPH_BASE_URL}/${API_VERSION}/${PHONE_NUMBER_ID}/messages`,
      authorization: `Bearer ${ACCESS_TOKEN}`,
    });
    expect(graph.messages()).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '16505551234',
        ...text('Hello Ann'),
      },
    ]);
    expect(result).toEqual({
      providerMessageId: 'wamid.TEST0001',
      status: 'accepted',
      address: TO,
    });
  });

  it('asks for a link preview when the text holds a link, unless previews are off', async () => {
    await adapter.send(envelope('Track it at https://track.example.test/1'));
    const quiet = createWhatsAppCloudAdapter({ ...baseOptions, previewLinks: false });
    await quiet.send(envelope('Track it at https://track.example.test/1'));
    expect(sent()).toEqual([
      text('Track it at https://track.example.test/1', true),
      text('Track it at https://track.example.test/1', false),
    ]);
  });

  it('splits text past 4,096 characters at word boundaries and returns every wamid', async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`);
    const result = await adapter.send(envelope(words.join(' ')));
    const bodies = sent().map((message) => (message.text as { body: string }).body);
    expect(bodies).toEqual(splitText(words.join(' '), 4096));
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(4096);
    expect(bodies.join(' ').split(' ')).toEqual(words);
    expect(result.providerMessageIds).toEqual(bodies.map((_, i) => `wamid.TEST000${i + 1}`));
    expect(result.providerMessageId).toBe('wamid.TEST0001');
  });

  it('refuses text needing more than 10 messages as invalid_request, sending nothing', async () => {
    const error = await adapter.send(envelope('x '.repeat(4096 * 6))).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ category: 'invalid_request', retryable: false });
    expect(graph.requests).toEqual([]);
  });

  it('parses the text itself when the envelope has no parts', async () => {
    await adapter.send({
      deliveryId: 'raw',
      to: { address: TO },
      text: 'Pick:\n::: actions\n- A\n- B\n:::',
    });
    expect(sent()[0]).toMatchObject({ type: 'interactive', interactive: { type: 'button' } });
  });

  it('quotes the replied-to message on the first Graph message only', async () => {
    await adapter.send(
      envelope('See these:\n\n::: images\n![](https://img.test/1.png)\n:::', {
        replyTo: 'wamid.IN',
      }),
    );
    expect(sent()).toEqual([
      { ...text('See these:'), context: { message_id: 'wamid.IN' } },
      { type: 'image', image: { link: 'https://img.test/1.png' } },
    ]);
  });

  it('refuses an envelope that renders to nothing, and an address that is not a number', async () => {
    await expect(
      adapter.send(envelope('::: navigate\n![navigate](/x)\n:::')),
    ).rejects.toMatchObject({
      category: 'invalid_request',
    });
    await expect(adapter.send({ ...envelope('hi'), to: { address: 'ann' } })).rejects.toMatchObject(
      {
        category: 'invalid_request',
      },
    );
    expect(graph.requests).toEqual([]);
  });
});

describe('media', () => {
  it('sends by link or by id, with captions and file names where WhatsApp takes them', async () => {
    const result = await adapter.send(
      envelope(undefined, {
        media: [
          { kind: 'image', url: 'https://img.test/a.jpg', caption: 'Front' },
          { kind: 'video', mediaId: '2001', caption: 'Clip' },
          { kind: 'document', url: 'https://files.test/docs/Invoice%2042.pdf' },
          { kind: 'document', mediaId: '2002', filename: 'terms.pdf', caption: 'Terms' },
          { kind: 'audio', mediaId: '2003' },
          { kind: 'sticker', url: 'https://img.test/s.webp' },
        ],
      }),
    );
    expect(sent()).toEqual([
      { type: 'image', image: { link: 'https://img.test/a.jpg', caption: 'Front' } },
      { type: 'video', video: { id: '2001', caption: 'Clip' } },
      {
        type: 'document',
        document: { link: 'https://files.test/docs/Invoice%2042.pdf', filename: 'Invoice 42.pdf' },
      },
      { type: 'document', document: { id: '2002', caption: 'Terms', filename: 'terms.pdf' } },
      { type: 'audio', audio: { id: '2003' } },
      { type: 'sticker', sticker: { link: 'https://img.test/s.webp' } },
    ]);
    expect(result.providerMessageIds).toHaveLength(6);
  });

  it('sends text first, then media, and a caption WhatsApp cannot attach as text after it', async () => {
    const long = 'c'.repeat(1025);
    await adapter.send(
      envelope('Your files', {
        media: [
          { kind: 'audio', url: 'https://a.test/v.ogg', caption: 'Voice note' },
          { kind: 'image', url: 'https://a.test/i.png', caption: long },
        ],
      }),
    );
    expect(sent()).toEqual([
      text('Your files'),
      { type: 'audio', audio: { link: 'https://a.test/v.ogg' } },
      text('Voice note'),
      { type: 'image', image: { link: 'https://a.test/i.png' } },
      text(long),
    ]);
  });

  it('refuses media over its size or of a type WhatsApp does not take, before sending anything', async () => {
    const big = { kind: 'image' as const, url: 'https://a.test/i.png', sizeBytes: 6 * 1024 * 1024 };
    const gif = { kind: 'image' as const, url: 'https://a.test/i.gif', mimeType: 'image/gif' };
    for (const media of [big, gif]) {
      await expect(adapter.send(envelope('hi', { media: [media] }))).rejects.toMatchObject({
        category: 'media',
        retryable: false,
      });
    }
    expect(graph.requests).toEqual([]);
  });
});

describe('actions, reactions, read receipts and typing', () => {
  it('reacts, and removes a reaction with an empty emoji', async () => {
    const result = await adapter.react({
      to: { address: TO },
      providerMessageId: 'wamid.IN',
      emoji: '👍',
    });
    await adapter.react({ to: { address: TO }, providerMessageId: 'wamid.IN', emoji: '' });
    expect(sent()).toEqual([
      { type: 'reaction', reaction: { message_id: 'wamid.IN', emoji: '👍' } },
      { type: 'reaction', reaction: { message_id: 'wamid.IN', emoji: '' } },
    ]);
    expect(result).toEqual({ providerMessageId: 'wamid.TEST0001', status: 'accepted' });
  });

  it('marks a message read, and shows typing against the message it answers', async () => {
    await adapter.markRead({ to: { address: TO }, providerMessageId: 'wamid.IN' });
    await adapter.sendTyping({ to: { address: TO }, replyTo: 'wamid.IN2' });
    expect(graph.statusUpdates()).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN' },
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.IN2',
        typing_indicator: { type: 'text' },
      },
    ]);
  });

  it('cannot show typing to a user whose message it never saw', async () => {
    await expect(adapter.sendTyping({ to: { address: '+447700900999' } })).rejects.toMatchObject({
      category: 'invalid_request',
    });
  });
});

describe('a retry after a partial failure', () => {
  it('resumes after the parts already sent instead of sending them twice', async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const message = envelope(words);
    graph.respondWith(async () => Response.json({ messages: [{ id: 'wamid.PART1' }] }));
    graph.fail(500, 131000, { title: 'Something went wrong' });
    await expect(adapter.send(message)).rejects.toMatchObject({
      category: 'provider',
      retryable: true,
    });
    const result = await adapter.send(message);
    const parts = splitText(words, 4096);
    const bodies = sent().map((m) => (m.text as { body: string }).body);
    // Part 1, part 2 (failed), then the retry: part 2 again and the rest; part 1 never twice.
    expect(bodies).toEqual([parts[0], parts[1], ...parts.slice(1)]);
    expect(result.providerMessageIds).toEqual([
      'wamid.PART1',
      ...parts.slice(1).map((_, i) => `wamid.TEST000${i + 1}`),
    ]);
  });
});
