import type { EventSink } from '@threadline/core';
import { createRecordingSink } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { baseOptions, useGraphMock, VERIFY_TOKEN } from './graph';
import {
  contact,
  createPoster,
  messagesChange,
  signature,
  textMessage,
  WEBHOOK_URL,
  webhookPayload,
  webhookRequest,
} from './webhooks';

/** The webhook's gatekeeping: the GET handshake, the signature, and how events are emitted. */

const graph = useGraphMock();
const adapter = createWhatsAppCloudAdapter(baseOptions);
const post = createPoster(adapter);

function handshake(query: Record<string, string>) {
  const url = new URL(WEBHOOK_URL);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return adapter.handleWebhook(new Request(url), {
    sink: createRecordingSink(),
    publicUrl: url.toString(),
    waitUntil: () => {},
  });
}

describe('the hub.challenge handshake', () => {
  it('answers 200 with the raw challenge when the verify token matches', async () => {
    const response = await handshake({
      'hub.mode': 'subscribe',
      'hub.challenge': '1158201444',
      'hub.verify_token': VERIFY_TOKEN,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('answers 403 to a wrong verify token, a missing one, or another mode', async () => {
    const cases: Record<string, string>[] = [
      { 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': 'wrong' },
      { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN },
      { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN },
    ];
    for (const query of cases)
      expect((await handshake(query)).status, JSON.stringify(query)).toBe(403);
  });
});

describe('the X-Hub-Signature-256 check', () => {
  const payload = webhookPayload([
    messagesChange({ messages: [textMessage('16505551234', 'wamid.A', 'hi')] }),
  ]);
  const body = JSON.stringify(payload);

  it.each([
    ['missing', null],
    ['empty', ''],
    ['without the sha256= prefix', signature(body).slice('sha256='.length)],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['too short', signature(body).slice(0, 40)],
    ['made with another secret', signature(body, 'another-secret')],
    ['for another body', signature(`${body} `)],
  ])('answers 401 and emits nothing when the signature is %s', async (_name, value) => {
    const { response, events } = await post(webhookRequest(body, { signature: value }));
    expect(response.status).toBe(401);
    expect(events).toEqual([]);
  });

  it('accepts an upper-case hex signature', async () => {
    const upper = `sha256=${signature(body).slice(7).toUpperCase()}`;
    const { response, events } = await post(webhookRequest(body, { signature: upper }));
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 400 and emits nothing for a signed body that is not a WhatsApp webhook', async () => {
    for (const bad of ['not json', '{"entry":[]}', '{"object":"x","entry":[{"changes":"no"}]}']) {
      const { response, events } = await post(webhookRequest(bad));
      expect(response.status, bad).toBe(400);
      expect(events).toEqual([]);
    }
  });

  it('refuses other methods with 405', async () => {
    const response = await adapter.handleWebhook(
      new Request(WEBHOOK_URL, { method: 'PUT', body: '{}' }),
      {
        sink: createRecordingSink(),
        publicUrl: WEBHOOK_URL,
        waitUntil: () => {},
      },
    );
    expect(response.status).toBe(405);
  });
});

describe('emitting', () => {
  it('awaits each emit and lets a failing sink fail the request, so Meta retries', async () => {
    const sink: EventSink = {
      emit: async () => {
        throw new Error('store down');
      },
    };
    await expect(
      post(
        webhookRequest(
          webhookPayload([messagesChange({ messages: [textMessage('16505551234', 'w', 'hi')] })]),
        ),
        sink,
      ),
    ).rejects.toThrow('store down');
  });

  it('remembers the last message per user, so sendTyping can refer to it', async () => {
    await post(
      webhookRequest(
        webhookPayload([
          messagesChange({
            contacts: [contact('447700900123', 'Ravi')],
            messages: [
              textMessage('447700900123', 'wamid.R1', 'a'),
              textMessage('447700900123', 'wamid.R2', 'b'),
            ],
          }),
        ]),
      ),
    );
    await adapter.sendTyping({ to: { address: '+447700900123' } });
    expect(graph.statusUpdates().at(-1)).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.R2',
      typing_indicator: { type: 'text' },
    });
  });
});
