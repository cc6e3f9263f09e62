import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsAppEmulator, type PhoneView, type WhatsAppEmulator } from '../src';
import { startApp, webhookValue } from './app-server';

const PHONE_NUMBER_ID = '106540352242922';
const ANN = '+447700900123';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0)) await stop();
});

async function setUp(options: { businessName?: string; homeUrl?: string } = {}) {
  const app = await startApp({ appSecret: 'secret' });
  const emulator = createWhatsAppEmulator({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'token',
    appSecret: 'secret',
    webhookUrl: app.webhookUrl,
    statusDelaysMs: { sent: 1, delivered: 1, read: 1 },
    ...options,
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
    expect(picker).toContain('<b>Ann</b><br><small>+447700900123</small>');
    // Without a homeUrl the phone's back arrow goes to the picker, which has no back link.
    expect(html).toContain('<a class="back" href="/phone"');
    expect(picker).not.toContain('class="back"');
  });

  it('names the business with an avatar, and links back to the home page it is given', async () => {
    const { emulator } = await setUp({ businessName: 'Tea room', homeUrl: '/' });
    const html = await (await fetch(emulator.phonePageUrl(ANN))).text();
    expect(html).toContain('<span class="avatar" aria-hidden="true">TR</span>');
    expect(html).toContain('<b>Tea room</b>');
    expect(html).toContain('<a class="back" href="/" target="_top"');
    const picker = await (await fetch(emulator.phoneUrl)).text();
    expect(picker).toContain('<a class="back" href="/" target="_top"');
  });

  it('tells the page the clock and the window as they are now, after a skip', async () => {
    const { emulator } = await setUp();
    await emulator.receiveFrom(ANN).send('hi');
    const clockUrl = `${emulator.url}/phone/clock?number=${encodeURIComponent(ANN)}`;
    const before = (await (await fetch(clockUrl)).json()) as { now: number; window: number };
    expect(before.window).toBeGreaterThan(before.now);
    emulator.advanceTime(25 * 3_600_000);
    const after = (await (await fetch(clockUrl)).json()) as { now: number; window: null };
    expect(after.now - before.now).toBeGreaterThanOrEqual(25 * 3_600_000);
    expect(after.window).toBeNull();
  });

  it("restores a window from the app's records, never moving it back", async () => {
    const { emulator } = await setUp();
    const ann = emulator.receiveFrom(ANN);
    expect(ann.windowOpen()).toBe(false);
    emulator.restoreWindow(ANN, emulator.now() - 3_600_000);
    expect(ann.windowOpen()).toBe(true);
    const restored = emulator.people()[0]?.lastInboundAt;
    emulator.restoreWindow(ANN, emulator.now() - 30 * 3_600_000);
    expect(emulator.people()[0]?.lastInboundAt).toBe(restored);
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
