import { afterEach, describe, expect, it } from 'vitest';
import {
  createWhatsAppEmulator,
  type WhatsAppEmulator,
  type WhatsAppEmulatorOptions,
} from '../src';
import { manualClock, startApp, webhookValue } from './app-server';

const HOUR = 3_600_000;
const ANN = '+447700900123';
const base = { phoneNumberId: '106540352242922', accessToken: 'token', appSecret: 'secret' };
const text = {
  messaging_product: 'whatsapp',
  to: ANN,
  type: 'text',
  text: { body: 'Your table is ready' },
};
const template = {
  messaging_product: 'whatsapp',
  to: ANN,
  type: 'template',
  template: {
    name: 'table_ready',
    language: { code: 'en_US' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }],
  },
};

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0)) await stop();
});

async function start(options: Partial<WhatsAppEmulatorOptions> = {}): Promise<WhatsAppEmulator> {
  const emulator = createWhatsAppEmulator({
    ...base,
    statusDelaysMs: { sent: 0, delivered: 0, read: 0 },
    ...options,
  });
  await emulator.start();
  cleanup.push(() => emulator.stop());
  return emulator;
}

function send(emulator: WhatsAppEmulator, body: unknown) {
  return fetch(`${emulator.graphUrl}/${base.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the customer service window', () => {
  it('refuses free-form text 25 h after the last inbound with 131047, while a template passes', async () => {
    const clock = manualClock();
    const emulator = await start({ clock });
    await emulator.receiveFrom(ANN).send('Can I book for tonight?');
    expect((await send(emulator, text)).status).toBe(200);

    clock.advance(25 * HOUR);
    const refused = await send(emulator, text);
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect(error).toMatchObject({
      code: 131047,
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('24 hours') },
    });
    const ok = await send(emulator, template);
    expect(ok.status).toBe(200);
    expect((await ok.json()).messages[0].message_status).toBe('accepted');
    // The phone shows the refused message with a marker; the inbox keeps it.
    await emulator.idle();
    expect(emulator.inbox(ANN).map((m) => m.status)).toEqual(['delivered', 'refused', 'delivered']);
  });

  it('refuses free-form text to someone who never wrote', async () => {
    const emulator = await start();
    expect((await send(emulator, text)).status).toBe(400);
  });

  it('reopens the window when the person writes again', async () => {
    const emulator = await start();
    await emulator.receiveFrom(ANN).send('hi');
    emulator.advanceTime(24 * HOUR);
    expect((await send(emulator, text)).status).toBe(400);
    await emulator.receiveFrom(ANN).send('still there?');
    expect((await send(emulator, text)).status).toBe(200);
  });

  it('in fail-status mode accepts the send and posts a failed status with 131047', async () => {
    const app = await startApp({ appSecret: base.appSecret });
    cleanup.push(app.close);
    const emulator = await start({ closedWindow: 'fail-status', webhookUrl: app.webhookUrl });
    const response = await send(emulator, text);
    expect(response.status).toBe(200);
    const { messages } = await response.json();
    const [failed] = await app.waitFor((w) => webhookValue(w).statuses?.[0]?.status === 'failed');
    expect(webhookValue(failed).statuses[0]).toMatchObject({
      id: messages[0].id,
      status: 'failed',
      recipient_id: '447700900123',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          error_data: { details: expect.any(String) },
        },
      ],
    });
  });
});

describe('throughput', () => {
  it('answers 130429 with HTTP 429 over the per-number rate, and recovers a second later', async () => {
    const clock = manualClock();
    const emulator = await start({ clock, rate: 5 });
    await emulator.receiveFrom(ANN).send('hi');
    const statuses = await Promise.all(
      Array.from({ length: 7 }, () => send(emulator, text).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    const over = await send(emulator, text);
    expect((await over.json()).error).toMatchObject({
      code: 130429,
      message: '(#130429) Rate limit hit',
    });

    clock.advance(1_000);
    expect((await send(emulator, text)).status).toBe(200);
  });
});

describe('the template registry', () => {
  const templates = [
    {
      name: 'table_ready',
      language: 'en_US',
      body: 'Hi {{1}}, your table is ready.',
      buttons: ['On my way'],
    },
  ];

  it('answers 132001 with HTTP 404 for a template it does not know', async () => {
    const emulator = await start({ templates });
    const response = await send(emulator, {
      ...template,
      template: { ...template.template, name: 'nope' },
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe(132001);
  });

  it('answers 132000 when the body parameters do not match the placeholders', async () => {
    const emulator = await start({ templates });
    const response = await send(emulator, {
      ...template,
      template: { name: 'table_ready', language: { code: 'en_US' } },
    });
    expect((await response.json()).error.code).toBe(132000);
  });

  it('lets the person tap a registered quick-reply label', async () => {
    const app = await startApp({ appSecret: base.appSecret });
    cleanup.push(app.close);
    const emulator = await start({ templates, webhookUrl: app.webhookUrl });
    const { messages } = await (await send(emulator, template)).json();
    const reply = await emulator.receiveFrom(ANN).tap('On my way');
    expect(reply.message).toMatchObject({
      type: 'button',
      button: { text: 'On my way', payload: 'On my way' },
      context: { id: messages[0].id },
    });
  });
});
