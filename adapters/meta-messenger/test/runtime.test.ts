import { createThreadline, NotReachableError, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetaMessengerAdapter, type MetaMessengerAdapter } from '../src/index';
import { PSID } from './fill';
import { APP_ID, baseOptions, PAGE_ID, useSendApiMock } from './send-api';
import { envelope, MESSENGER_URL, webhookRequest } from './webhooks';

/**
 * The adapter inside the runtime (`createThreadline`, memory store, fake clock) with the Send API
 * mocked by msw: warm-only reach, the window and its tags, watermark receipts and echoes.
 */

const api = useSendApiMock();
const HOUR = 3_600_000;

let threadline: Threadline;
let clock: FakeClock;
let adapter: MetaMessengerAdapter;
let annId: string;

async function start(messageTags: Array<'HUMAN_AGENT' | 'CONFIRMED_EVENT_UPDATE'> = []) {
  clock = createFakeClock(Date.parse('2026-12-02T09:00:00Z'));
  adapter = createMetaMessengerAdapter({
    ...baseOptions,
    clock,
    messageTags,
    rate: { perSecond: 1_000 },
  });
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [adapter],
    clock,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: (turn) => {
      annId = turn.user.id;
    },
  });
  await threadline.start();
}

async function post(...items: unknown[]): Promise<number> {
  const response = await threadline.fetch(
    webhookRequest(envelope('page', items), { url: MESSENGER_URL }),
  );
  return response.status;
}

const userWrites = (mid: string, text: string) => ({
  sender: { id: PSID },
  recipient: { id: PAGE_ID },
  timestamp: clock.now(),
  message: { mid, text },
});

afterEach(async () => {
  await threadline.stop();
});

describe('Messenger inside the runtime', () => {
  it('refuses a proactive send before the person wrote (warm-only), and sends after', async () => {
    await start();
    const user = await threadline.users.create({});
    await expect(
      threadline.channels.send({ channel: 'messenger', to: { userId: user.id }, text: 'hi' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(api.messages()).toHaveLength(0);
    expect(await post(userWrites('m_in_1', 'hello'))).toBe(200);
    await threadline.idle();
    const result = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'Welcome!',
    });
    expect(result).toMatchObject({ delivered: true, messageId: 'm_out_1' });
  });

  it('after 25 h holds text until the person writes (no tag allowed), then sends it once', async () => {
    await start();
    await post(userWrites('m_in_1', 'hello'));
    await threadline.idle();
    clock.advance(25 * HOUR);
    const held = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'Your table is ready',
    });
    expect(held).toMatchObject({ queued: true, delivered: false });
    expect(api.messages()).toHaveLength(0);
    await post(userWrites('m_in_2', 'back'));
    await threadline.idle();
    await threadline.runDue();
    await threadline.runDue();
    expect(api.messages().map((b) => [b.message.text, b.messaging_type])).toEqual([
      ['Your table is ready', 'RESPONSE'],
    ]);
  });

  it('after 25 h sends with HUMAN_AGENT when the app may, and records the tag on the delivery', async () => {
    await start(['HUMAN_AGENT']);
    await post(userWrites('m_in_1', 'hello'));
    await threadline.idle();
    clock.advance(25 * HOUR);
    const sent = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'Sam here, sorry for the wait',
    });
    expect(sent.delivered).toBe(true);
    expect(api.messages()[0]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect((await threadline.deliveries.get(sent.deliveryId))?.payload.tag).toBe('HUMAN_AGENT');
  });

  it('a read watermark advances every delivery sent before it at once', async () => {
    await start();
    await post(userWrites('m_in_1', 'hello'));
    await threadline.idle();
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      ids.push(
        (
          await threadline.channels.send({
            channel: 'messenger',
            to: { userId: annId },
            text,
          })
        ).deliveryId,
      );
      clock.advance(1_000);
    }
    const watermark = clock.now() - 1_500;
    await post({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      delivery: { watermark: clock.now() },
    });
    await post({
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      timestamp: clock.now(),
      read: { watermark },
    });
    const statuses = await Promise.all(
      ids.map(async (id) => (await threadline.deliveries.get(id))?.status),
    );
    expect(statuses).toEqual(['read', 'read', 'delivered']);
  });

  it('records a person’s inbox reply once as a human-agent entry, never resends it, and skips our own echoes', async () => {
    await start();
    await post(userWrites('m_in_1', 'is anyone there?'));
    await threadline.idle();
    const sent = await threadline.channels.send({
      channel: 'messenger',
      to: { userId: annId },
      text: 'The agent answers',
    });
    const inboxEcho = {
      sender: { id: PAGE_ID },
      recipient: { id: PSID },
      timestamp: clock.now(),
      message: {
        is_echo: true,
        app_id: 263902037430900,
        mid: 'm_inbox_1',
        text: 'Sam from support here',
      },
    };
    const ownEcho = {
      sender: { id: PAGE_ID },
      recipient: { id: PSID },
      timestamp: clock.now(),
      message: {
        is_echo: true,
        app_id: Number(APP_ID),
        mid: sent.messageId,
        text: 'The agent answers',
      },
    };
    expect(await post(inboxEcho, ownEcho)).toBe(200);
    expect(await post(inboxEcho)).toBe(200); // Meta retries the same echo
    await threadline.runDue();
    const thread = await threadline.users.get(annId).thread();
    expect(thread.map((e) => [e.direction, e.text, e.metadata?.author])).toEqual([
      ['inbound', 'is anyone there?', undefined],
      ['outbound', 'The agent answers', undefined],
      ['outbound', 'Sam from support here', 'human-agent'],
    ]);
    expect(api.messages().map((b) => b.message.text)).toEqual(['The agent answers']);
  });
});
