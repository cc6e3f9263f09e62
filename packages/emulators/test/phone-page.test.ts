import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsAppEmulator, type PhoneView, type WhatsAppEmulator } from '../src';
import { startApp, webhookValue } from './app-server';

const PHONE_NUMBER_ID = '106540352242922';
const ANN = '+447700900123';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0)) await stop();
});

async function setUp() {
  const app = await startApp({ appSecret: 'secret' });
  const emulator = createWhatsAppEmulator({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'token',
    appSecret: 'secret',
    webhookUrl: app.webhookUrl,
    statusDelaysMs: { sent: 1, delivered: 1, read: 1 },
  });
  await emulator.start();
  cleanup.push(app.close, () => emulator.stop());
  return { app, emulator };
}

function send(emulator: WhatsAppEmulator, body: Record<string, unknown>) {
  return fetch(`${emulator.graphUrl}/${PHONE_NUMBER_ID}/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: ANN, ...body }),
  });
}

/** Reads a Server-Sent Events stream frame by frame. */
async function openEvents(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffer = '';
  cleanup.push(() => controller.abort());
  return {
    response,
    // biome-ignore lint/suspicious/noExplicitAny: event data is asserted ad hoc
    async next(event: string): Promise<any> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(frame)?.[1];
          if (name === event) return JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null');
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before a "${event}" event`);
        buffer += value;
      }
    },
  };
}

describe('the phone page', () => {
  it('serves a self-contained HTML chat page and a picker', async () => {
    const { emulator } = await setUp();
    await emulator.receiveFrom(ANN, { name: 'Ann' }).send('hi');
    const page = await fetch(emulator.phonePageUrl(ANN));
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script>');
    expect(html).toContain('/phone/events');
    // No external assets: nothing loaded from another origin.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    const picker = await (await fetch(emulator.phoneUrl)).text();
    expect(picker).toContain('Ann · +447700900123');
  });

  it('streams a business message over SSE, and an open page reads it', async () => {
    const { app, emulator } = await setUp();
    await emulator.receiveFrom(ANN).send('hi');
    const events = await openEvents(
      `${emulator.url}/phone/events?number=${encodeURIComponent(ANN)}`,
    );
    expect(events.response.headers.get('content-type')).toContain('text/event-stream');
    const snapshot = await events.next('snapshot');
    expect(snapshot.entries.map((v: PhoneView) => v.text)).toEqual(['hi']);
    expect(snapshot.window).toBeGreaterThan(emulator.now());

    const { messages } = await (
      await send(emulator, { type: 'text', text: { body: 'Table for two at 7?' } })
    ).json();
    const first = await events.next('entry');
    expect(first.view).toMatchObject({
      id: messages[0].id,
      side: 'business',
      text: 'Table for two at 7?',
    });
    const statuses = await app.waitFor(
      (w) => webhookValue(w).statuses?.[0]?.id === messages[0].id,
      3,
    );
    expect(statuses.map((w) => webhookValue(w).statuses[0].status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('shows a 131047 refusal as a marked bubble', async () => {
    const { emulator } = await setUp();
    const events = await openEvents(
      `${emulator.url}/phone/events?number=${encodeURIComponent(ANN)}`,
    );
    await events.next('snapshot');
    await send(emulator, { type: 'text', text: { body: 'Are you still there?' } });
    const { view } = await events.next('entry');
    expect(view).toMatchObject({ status: 'refused', error: '131047 Re-engagement message' });
  });

  it('sends a tap on a reply button as the person', async () => {
    const { app, emulator } = await setUp();
    await emulator.receiveFrom(ANN).send('book');
    const { messages } = await (
      await send(emulator, {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Confirm?' },
          action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] },
        },
      })
    ).json();
    const tap = await fetch(`${emulator.url}/phone/send?number=${encodeURIComponent(ANN)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tap: { messageId: messages[0].id, label: 'Yes' } }),
    });
    expect(tap.status).toBe(202);
    const [webhook] = await app.waitFor(
      (w) => webhookValue(w).messages?.[0]?.type === 'interactive',
    );
    expect(webhookValue(webhook).messages[0]).toMatchObject({
      context: { id: messages[0].id },
      interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
    });
  });
});
