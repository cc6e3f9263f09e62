import { describe, expect, it } from 'vitest';
import { fill, IGSID, PSID } from './fill';
import * as meta from './fixtures/meta-examples';
import { deliver, instagram, messenger } from './parse-helpers';
import { APP_ID, IG_ACCOUNT_ID, PAGE_ID } from './send-api';
import { envelope } from './webhooks';

describe('Messenger webhook events (object "page"), from Meta’s documented examples', () => {
  it('a text message with a quick-reply payload', async () => {
    const { status, events } = await deliver(
      messenger(),
      fill(envelope('page', [meta.textMessage])),
    );
    expect(status).toBe(200);
    expect(events).toEqual([
      {
        type: 'message',
        adapterId: `messenger-${PAGE_ID}`,
        channel: 'messenger',
        message: {
          providerMessageId: 'mid.1457764197618:41d102a3e1ae206a38',
          from: { address: PSID },
          timestamp: new Date(1458692752478),
          text: 'hello, world!',
          payload: '<DEVELOPER_DEFINED_PAYLOAD>',
        },
      },
    ]);
  });

  it('a reply to an earlier message', async () => {
    const { events } = await deliver(messenger(), fill(envelope('page', [meta.replyMessage])));
    expect(events[0]).toMatchObject({
      type: 'message',
      message: { replyTo: 'm_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU', text: 'hello, world!' },
    });
  });

  it.each([
    ['image', 'image'],
    ['video', 'video'],
    ['audio', 'audio'],
    ['file', 'document'],
    ['sticker', 'sticker'],
  ])('a message with an %s attachment', async (type, kind) => {
    const body = fill({ object: 'page', entry: [meta.attachmentEntry(type)] });
    const { events } = await deliver(messenger(), body);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        message: expect.objectContaining({
          providerMessageId: 'mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c',
          text: '',
          media: [{ kind, url: 'https://cdn.example.test/attachment.png' }],
        }),
      }),
    ]);
  });

  it('a postback: its title is the text, its payload the payload (seconds timestamps read as seconds)', async () => {
    const item = fill({ ...meta.postback, sender: { id: PSID } });
    const { events } = await deliver(messenger(), envelope('page', [item]));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        message: expect.objectContaining({
          providerMessageId: 'm_MESSAGE-ID',
          from: { address: PSID },
          text: 'TITLE-FOR-THE-CTA',
          payload: 'USER-DEFINED-PAYLOAD',
          timestamp: new Date(1527459824_000),
          metadata: expect.objectContaining({ postback: true }),
        }),
      }),
    ]);
  });

  it('a postback from a user_ref (no PSID yet) is unsupported, not dropped', async () => {
    const { events } = await deliver(messenger(), fill(envelope('page', [meta.postback])));
    expect(events).toEqual([expect.objectContaining({ type: 'unsupported' })]);
  });

  it('reactions: react carries the emoji, unreact an empty one', async () => {
    const react = { ...meta.reaction, reaction: { ...meta.reaction.reaction, action: 'react' } };
    const unreact = {
      ...meta.reaction,
      reaction: { ...meta.reaction.reaction, action: 'unreact' },
      timestamp: 1458668856999,
    };
    const { events } = await deliver(messenger(), fill(envelope('page', [react], [unreact])));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'reaction',
        targetMessageId: '<MID_OF_ReactedTo_Message>',
        emoji: '\u2764\uFE0F',
        from: { address: PSID },
      }),
      expect.objectContaining({
        type: 'reaction',
        targetMessageId: '<MID_OF_ReactedTo_Message>',
        emoji: '',
      }),
    ]);
  });

  it('read and delivery receipts become watermark events', async () => {
    const { events } = await deliver(
      messenger(),
      fill(envelope('page', [meta.read, meta.delivery])),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'status-watermark',
        status: 'read',
        address: PSID,
        watermark: new Date(1458668856253),
        timestamp: new Date(1458668856463),
      }),
      expect.objectContaining({
        type: 'status-watermark',
        status: 'delivered',
        address: PSID,
        watermark: new Date(1458668856253),
      }),
    ]);
  });

  it('a referral in an existing thread is a conversation update carrying the referral', async () => {
    const { events } = await deliver(messenger(), fill(envelope('page', [meta.referral])));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'conversation-update',
        action: 'other',
        from: { address: PSID },
        metadata: {
          referral: {
            ref: '<REF_DATA_PASSED_IN_M.ME_PARAM>',
            source: 'SHORTLINK',
            type: 'OPEN_THREAD',
          },
        },
      }),
    ]);
  });

  it('an echo of this app’s own send is dropped; one from the Page inbox becomes an echo event', async () => {
    const own = fill(meta.echo);
    expect(String(own.message.app_id)).toBe(APP_ID);
    const inbox = fill({
      ...meta.echo,
      message: {
        ...meta.echo.message,
        app_id: 263902037430900,
        mid: 'm_inbox_1',
        text: 'Sam from support here',
      },
    });
    const { events } = await deliver(messenger(), envelope('page', [own, inbox]));
    expect(events).toEqual([
      {
        type: 'echo',
        adapterId: `messenger-${PAGE_ID}`,
        channel: 'messenger',
        to: { address: PSID },
        sentBy: '263902037430900',
        message: {
          providerMessageId: 'm_inbox_1',
          from: { address: PSID },
          timestamp: new Date(1457764197627),
          text: 'Sam from support here',
        },
      },
    ]);
  });

  it('a batch of several entries is emitted in order', async () => {
    const { events } = await deliver(
      messenger(),
      fill(envelope('page', [meta.textMessage], [meta.replyMessage, meta.read])),
    );
    expect(events.map((e) => e.type)).toEqual(['message', 'message', 'status-watermark']);
  });

  it('an entry for another Page is reported as unsupported, never emitted as a message', async () => {
    const body = fill(envelope('page', [meta.textMessage]));
    const [entry] = body.entry;
    if (entry) entry.id = '999';
    const { events } = await deliver(messenger(), body);
    expect(events).toEqual([
      expect.objectContaining({ type: 'unsupported', reason: expect.stringContaining('999') }),
    ]);
  });
});

describe('Instagram webhook events (object "instagram")', () => {
  it('a text message', async () => {
    const { events } = await deliver(instagram(), fill(meta.instagramText));
    expect(events).toEqual([
      {
        type: 'message',
        adapterId: `instagram-${IG_ACCOUNT_ID}`,
        channel: 'instagram',
        message: {
          providerMessageId: 'MESSAGE-ID',
          from: { address: IGSID },
          timestamp: new Date(1569262485349),
          text: 'MESSAGE-TEXT',
        },
      },
    ]);
  });

  it('a story mention: the story as an image, marked in metadata', async () => {
    const { events } = await deliver(instagram(), fill(meta.instagramStoryMention));
    expect(events[0]).toMatchObject({
      type: 'message',
      message: {
        providerMessageId: '<MESSAGE_ID>',
        media: [{ kind: 'image', url: 'https://cdn.example.test/story.jpg' }],
        metadata: { storyMention: { url: 'https://cdn.example.test/story.jpg' } },
      },
    });
  });

  it('a story reply keeps the story it answers', async () => {
    const body = fill(meta.instagramText);
    Object.assign(body.entry[0]?.messaging[0]?.message ?? {}, {
      reply_to: { story: { url: 'https://cdn.example.test/s.mp4', id: '1789' } },
    });
    const { events } = await deliver(instagram(), body);
    expect(events[0]).toMatchObject({
      message: {
        text: 'MESSAGE-TEXT',
        metadata: { storyReply: { url: 'https://cdn.example.test/s.mp4', id: '1789' } },
      },
    });
  });

  it('messaging_seen with a message id is a status for that message', async () => {
    const body = envelope('instagram', [
      {
        sender: { id: IGSID },
        recipient: { id: IG_ACCOUNT_ID },
        timestamp: 1569262485349,
        read: { mid: 'm_out_1' },
      },
    ]);
    const { events } = await deliver(instagram(), body);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'status',
        providerMessageId: 'm_out_1',
        status: 'read',
        address: IGSID,
      }),
    ]);
  });

  it('a page object sent to the Instagram adapter is not taken for Instagram', async () => {
    const { events } = await deliver(instagram(), fill(envelope('page', [meta.textMessage])));
    expect(events.map((e) => e.type)).toEqual(['unsupported']);
  });
});
