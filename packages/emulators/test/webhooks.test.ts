import { afterEach, describe, expect, it } from 'vitest';
import {
  createWhatsAppEmulator,
  type WhatsAppEmulator,
  type WhatsAppEmulatorOptions,
} from '../src';
import { manualClock, startApp, webhookValue } from './app-server';

const ANN = '+447700900123';
const base = {
  phoneNumberId: '106540352242922',
  accessToken: 'token',
  appSecret: 'app-secret',
  displayPhoneNumber: '15550783881',
  businessAccountId: '102290129340398',
};

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0)) await stop();
});

async function setUp(options: Partial<WhatsAppEmulatorOptions> = {}) {
  const app = await startApp({ appSecret: base.appSecret, verifyToken: 'verify-me' });
  const emulator = createWhatsAppEmulator({
    ...base,
    webhookUrl: app.webhookUrl,
    statusDelaysMs: { sent: 5, delivered: 5, read: 5 },
    webhookRetry: { attempts: 3, backoffMs: 5 },
    ...options,
  });
  await emulator.start();
  cleanup.push(app.close, () => emulator.stop());
  return { app, emulator };
}

async function sendText(emulator: WhatsAppEmulator, body = 'Your table is ready') {
  const response = await fetch(`${emulator.graphUrl}/${base.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: ANN, type: 'text', text: { body } }),
  });
  return (await response.json()).messages[0].id as string;
}

describe('inbound messages', () => {
  it('posts what a person sends, signed and in Meta’s envelope', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 12));
    const { app, emulator } = await setUp({ clock });
    const sent = await emulator.receiveFrom(ANN, { name: 'Ann' }).send('Can I book for tonight?');
    expect(sent.webhook).toEqual({ ok: true, attempts: 1, status: 200 });

    const [webhook] = app.received;
    expect(webhook?.signatureValid).toBe(true);
    expect(webhook?.body).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: base.businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: base.displayPhoneNumber,
                  phone_number_id: base.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Ann' }, wa_id: '447700900123' }],
                messages: [
                  {
                    from: '447700900123',
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: String(Date.UTC(2026, 0, 1, 12) / 1000),
                    type: 'text',
                    text: { body: 'Can I book for tonight?' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('posts taps on reply buttons and list rows as interactive replies quoting the message', async () => {
    const { app, emulator } = await setUp();
    const ann = emulator.receiveFrom(ANN);
    await ann.send('hi');
    const response = await fetch(`${emulator.url}/${base.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer token', 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: ANN,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'When?' },
          action: {
            button: 'Times',
            sections: [{ rows: [{ id: 't19', title: '19:00', description: 'Window' }] }],
          },
        },
      }),
    });
    const listId = (await response.json()).messages[0].id;
    await ann.tap('19:00');
    await ann.send({ button_reply: { id: 'yes', title: 'Yes' } });
    const messages = app.received.map((w) => webhookValue(w).messages?.[0]).filter(Boolean);
    expect(messages[1]).toMatchObject({
      type: 'interactive',
      context: { from: base.displayPhoneNumber, id: listId },
      interactive: {
        type: 'list_reply',
        list_reply: { id: 't19', title: '19:00', description: 'Window' },
      },
    });
    expect(messages[2]).toMatchObject({
      interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
    });
    await expect(ann.tap('No such button')).rejects.toThrow(/Nothing to tap/);
  });
});

describe('status webhooks', () => {
  it('posts sent → delivered → read in order, each with a valid signature', async () => {
    const { app, emulator } = await setUp({ autoRead: true });
    await emulator.receiveFrom(ANN).send('hi');
    const id = await sendText(emulator);
    const statuses = await app.waitFor((w) => webhookValue(w).statuses?.[0]?.id === id, 3);
    expect(statuses.map((w) => webhookValue(w).statuses[0].status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
    expect(statuses.every((w) => w.signatureValid)).toBe(true);
    expect(webhookValue(statuses[0]).statuses[0]).toEqual({
      id,
      status: 'sent',
      timestamp: expect.stringMatching(/^\d+$/),
      recipient_id: '447700900123',
      pricing: {
        billable: false,
        pricing_model: 'PMP',
        type: 'free_customer_service',
        category: 'service',
      },
    });
    expect(emulator.message(id)).toMatchObject({ status: 'read' });
  });

  it('stops at delivered until the person reads', async () => {
    const { app, emulator } = await setUp();
    const ann = emulator.receiveFrom(ANN);
    await ann.send('hi');
    const id = await sendText(emulator);
    await emulator.idle();
    expect(emulator.message(id)).toMatchObject({ status: 'delivered' });
    ann.read();
    await emulator.idle();
    const seen = app.received.filter((w) => webhookValue(w).statuses?.[0]?.id === id);
    expect(seen.map((w) => webhookValue(w).statuses[0].status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });
});

describe('retries', () => {
  it('retries a webhook the app answers with 500, then succeeds', async () => {
    const { app, emulator } = await setUp();
    app.failNext(2);
    const sent = await emulator.receiveFrom(ANN).send('hello?');
    expect(sent.webhook).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(app.received.map((w) => w.answered)).toEqual([500, 500, 200]);
    // The same bytes each time: the app's dedupe on wamid is what makes retries safe.
    expect(new Set(app.received.map((w) => w.raw)).size).toBe(1);
  });

  it('gives up after the configured attempts and exposes the failure', async () => {
    const { app, emulator } = await setUp();
    const failures: unknown[] = [];
    emulator.on('webhook-failure', (failure) => failures.push(failure));
    app.failNext(10);
    const sent = await emulator.receiveFrom(ANN).send('anyone?');
    expect(sent.webhook).toMatchObject({ ok: false, attempts: 3, status: 500, error: 'HTTP 500' });
    expect(emulator.webhookFailures()).toEqual([
      expect.objectContaining({ kind: 'message', outcome: sent.webhook }),
    ]);
    expect(failures).toHaveLength(1);
  });
});

describe('the hub.challenge handshake', () => {
  it('verifies the app echoes the challenge for the right token, and not for a wrong one', async () => {
    const { emulator } = await setUp({ verifyToken: 'verify-me' });
    await expect(emulator.verifyWebhook()).resolves.toMatchObject({ ok: true, status: 200 });
    await expect(emulator.verifyWebhook('wrong')).resolves.toMatchObject({
      ok: false,
      status: 403,
    });
  });
});
