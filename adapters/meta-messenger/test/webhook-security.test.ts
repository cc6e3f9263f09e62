import { describe, expect, it } from 'vitest';
import { fill } from './fill';
import * as meta from './fixtures/meta-examples';
import { deliver, messenger } from './parse-helpers';
import { VERIFY_TOKEN } from './send-api';
import { envelope, MESSENGER_URL, signature } from './webhooks';

const body = fill(envelope('page', [meta.textMessage]));

describe('webhook signature and handshake', () => {
  it('refuses a missing, malformed, forged or wrong-secret signature with 401 and emits nothing', async () => {
    const cases = [
      { signature: null },
      { signature: 'sha1=abc' },
      { signature: `sha256=${'0'.repeat(64)}` },
      { secret: 'another-secret' },
    ];
    for (const options of cases) {
      const { status, events } = await deliver(messenger(), body, options);
      expect(status).toBe(401);
      expect(events).toEqual([]);
    }
  });

  it('refuses a body changed after signing', async () => {
    const adapter = messenger();
    const raw = JSON.stringify(body);
    const request = new Request(MESSENGER_URL, {
      method: 'POST',
      headers: { 'x-hub-signature-256': signature(raw) },
      body: raw.replace('hello', 'HELLO'),
    });
    const response = await adapter.handleWebhook(request, {
      sink: { emit: async () => ({ recorded: true }) },
      publicUrl: MESSENGER_URL,
      waitUntil: () => {},
    });
    expect(response.status).toBe(401);
  });

  it('answers 400 for signed JSON that is not a webhook body', async () => {
    const { status, events } = await deliver(messenger(), { hello: 'world' });
    expect(status).toBe(400);
    expect(events).toEqual([]);
  });

  it('answers the hub.challenge handshake only with the verify token', async () => {
    const adapter = messenger();
    const context = {
      sink: { emit: async () => ({ recorded: true }) },
      publicUrl: MESSENGER_URL,
      waitUntil: () => {},
    };
    const ok = await adapter.handleWebhook(
      new Request(
        `${MESSENGER_URL}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`,
      ),
      context,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await adapter.handleWebhook(
      new Request(`${MESSENGER_URL}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope`),
      context,
    );
    expect(wrong.status).toBe(403);
  });
});
