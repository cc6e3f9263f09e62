import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMessengerEmulator, type MessengerEmulator, PAGE_INBOX_APP_ID } from '../src/index';
import { manualClock, startApp } from './app-server';

const PAGE_ID = '107000000000001';
const IG_ID = '17841400000000001';
const TOKEN = 'page-token';
const SECRET = 'app-secret';
const HOUR = 3_600_000;

let emulator: MessengerEmulator;
let app: Awaited<ReturnType<typeof startApp>>;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock();
  app = await startApp({ appSecret: SECRET, verifyToken: 'verify' });
  emulator = createMessengerEmulator({
    pageId: PAGE_ID,
    instagramAccountId: IG_ID,
    pageAccessToken: TOKEN,
    appSecret: SECRET,
    clock,
    permittedTags: ['CONFIRMED_EVENT_UPDATE', 'HUMAN_AGENT'],
  });
  await emulator.start();
  emulator.setWebhookUrl(app.webhookUrl, 'page');
  emulator.setWebhookUrl(app.webhookUrl, 'instagram');
});

afterEach(async () => {
  await emulator.stop();
  await app.close();
});

async function send(body: unknown, token = TOKEN) {
  const response = await fetch(`${emulator.url}/v25.0/${PAGE_ID}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: Graph answers are inspected ad hoc in assertions
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('the Messenger emulator', () => {
  it('posts a person’s message as a signed page webhook in Meta’s shape', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hello');
    const [hook] = await app.waitFor(() => true);
    expect(hook?.signatureValid).toBe(true);
    expect(hook?.body).toMatchObject({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          messaging: [
            { sender: { id: ann.id }, recipient: { id: PAGE_ID }, message: { text: 'hello' } },
          ],
        },
      ],
    });
  });

  it('accepts a send inside the window, then echoes it and posts a delivery watermark', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    const answer = await send({
      recipient: { id: ann.id },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello Ann' },
    });
    expect(answer).toMatchObject({
      status: 200,
      body: { recipient_id: ann.id, message_id: expect.stringMatching(/^m_/) },
    });
    const hooks = await app.waitFor(() => true, 3);
    const events = hooks.map((h) => h.body.entry[0].messaging[0]);
    expect(events[1]).toMatchObject({
      sender: { id: PAGE_ID },
      recipient: { id: ann.id },
      message: { is_echo: true, mid: answer.body.message_id },
    });
    expect(events[2]).toMatchObject({
      delivery: { mids: [answer.body.message_id], watermark: expect.any(Number) },
    });
    expect(ann.inbox().map((e) => e.text)).toEqual(['Hello Ann']);
  });

  it('refuses past 24 h with 10/2018278 unless a permitted tag applies; HUMAN_AGENT only for 7 days', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    clock.advance(25 * HOUR);
    const late = await send({
      recipient: { id: ann.id },
      messaging_type: 'RESPONSE',
      message: { text: 'late' },
    });
    expect(late).toMatchObject({
      status: 400,
      body: { error: { code: 10, error_subcode: 2018278 } },
    });
    const notPermitted = await send({
      recipient: { id: ann.id },
      messaging_type: 'MESSAGE_TAG',
      tag: 'ACCOUNT_UPDATE',
      message: { text: 'x' },
    });
    expect(notPermitted.status).toBe(400);
    const human = await send({
      recipient: { id: ann.id },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Sam here' },
    });
    expect(human.status).toBe(200);
    clock.advance(7 * 24 * HOUR);
    const tooLate = await send({
      recipient: { id: ann.id },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'x' },
    });
    expect(tooLate.body.error).toMatchObject({ code: 10, error_subcode: 2018278 });
    const event = await send({
      recipient: { id: ann.id },
      messaging_type: 'MESSAGE_TAG',
      tag: 'CONFIRMED_EVENT_UPDATE',
      message: { text: 'Your event is tomorrow' },
    });
    expect(event.status).toBe(200);
  });

  it('answers 190 for a wrong token and 100/2018001 for an unknown person', async () => {
    expect(
      (await send({ recipient: { id: '1' }, message: { text: 'x' } }, 'wrong')).body.error.code,
    ).toBe(190);
    expect(
      (await send({ recipient: { id: '1' }, message: { text: 'x' } })).body.error,
    ).toMatchObject({ code: 100, error_subcode: 2018001 });
  });

  it('enforces per-platform limits: 13 quick replies; no button template on Instagram', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    const quick = Array.from({ length: 14 }, (_, i) => ({
      content_type: 'text',
      title: `Q${i}`,
      payload: `Q${i}`,
    }));
    expect(
      (await send({ recipient: { id: ann.id }, message: { text: 'pick', quick_replies: quick } }))
        .status,
    ).toBe(400);
    const bo = emulator.person({ platform: 'instagram', name: 'Bo' });
    await bo.send('hey');
    const button = {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'Pay',
          buttons: [{ type: 'web_url', url: 'https://x.test', title: 'Pay' }],
        },
      },
    };
    expect((await send({ recipient: { id: bo.id }, message: button })).status).toBe(400);
    expect((await send({ recipient: { id: ann.id }, message: button })).status).toBe(200);
  });

  it('read receipts: a watermark on Messenger, messaging_seen with the last mid on Instagram', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    await ann.read();
    const bo = emulator.person({ platform: 'instagram', name: 'Bo' });
    await bo.send('hey');
    const sent = await send({ recipient: { id: bo.id }, message: { text: 'hello Bo' } });
    await bo.read();
    await emulator.idle();
    const reads = app.received.map((h) => h.body).filter((b) => b.entry[0].messaging[0].read);
    expect(reads.map((b) => [b.object, b.entry[0].messaging[0].read])).toEqual([
      ['page', { watermark: clock.now() }],
      ['instagram', { mid: sent.body.message_id }],
    ]);
  });

  it('a Page-inbox reply is echoed with the inbox app id', async () => {
    const ann = emulator.person({ name: 'Ann' });
    await ann.send('hi');
    const entry = await emulator.pageReply(ann.id, 'Sam here');
    const hooks = await app.waitFor((h) => h.body.entry[0].messaging[0].message?.is_echo === true);
    expect(hooks[0]?.body.entry[0].messaging[0].message).toMatchObject({
      mid: entry.id,
      text: 'Sam here',
      app_id: Number(PAGE_INBOX_APP_ID),
    });
  });

  it('serves the Messenger and Instagram pages', async () => {
    const ann = emulator.person({ name: 'Ann' });
    const list = await (await fetch(emulator.pageUrl('messenger'))).text();
    expect(list).toContain('Ann');
    const chat = await fetch(emulator.pageUrl('messenger', ann.id));
    expect(chat.status).toBe(200);
    expect(await (await fetch(emulator.pageUrl('instagram'))).text()).toContain('Instagram');
  });
});
