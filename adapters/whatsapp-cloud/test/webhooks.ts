import { createHmac } from 'node:crypto';
import type { ChannelAdapter, EventSink, InboundEvent } from '@threadline/core';
import { createRecordingSink } from '@threadline/testkit';
import { APP_SECRET, PHONE_NUMBER_ID } from './graph';

/**
 * Webhook requests as Meta sends them: the payload shape of the WhatsApp Business Account
 * webhook, signed with node:crypto over the exact bytes sent.
 */

export const WEBHOOK_URL = 'https://agent.example.test/webhooks/whatsapp-106540352242922';
export const WABA_ID = '102290129340398';
export const DISPLAY_NUMBER = '15550783881';

/** `sha256=<hex HMAC-SHA256(body, secret)>`, Meta's `X-Hub-Signature-256`. */
export function signature(body: string | Uint8Array, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A POST carrying `payload` (an object, or a string sent as is), signed unless told otherwise. */
export function webhookRequest(
  payload: unknown,
  options: { secret?: string; signature?: string | null; url?: string } = {},
): Request {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signed =
    options.signature === undefined ? signature(body, options.secret) : options.signature;
  if (signed !== null) headers['x-hub-signature-256'] = signed;
  return new Request(options.url ?? WEBHOOK_URL, { method: 'POST', headers, body });
}

/** One `messages` change's value. */
export interface ChangeValue {
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
  errors?: unknown[];
  phoneNumberId?: string;
}

/** A `{ field: 'messages', value }` change. */
export function messagesChange(value: ChangeValue) {
  const { phoneNumberId = PHONE_NUMBER_ID, ...rest } = value;
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: DISPLAY_NUMBER, phone_number_id: phoneNumberId },
      ...rest,
    },
  };
}

/** A whole webhook payload: one entry per array of changes. */
export function webhookPayload(...entries: unknown[][]) {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes) => ({ id: WABA_ID, changes })),
  };
}

/** The `contacts[]` item Meta sends beside a user's message. */
export function contact(waId: string, name: string) {
  return { profile: { name }, wa_id: waId };
}

/** An inbound text message from `from` (digits, as Meta sends them). */
export function textMessage(from: string, id: string, body: string, timestamp = '1767225600') {
  return { from, id, timestamp, type: 'text', text: { body } };
}

/** A status item for a message we sent. */
export function status(id: string, value: string, extra: Record<string, unknown> = {}) {
  return { id, status: value, timestamp: '1767225660', recipient_id: '16505551234', ...extra };
}

/** Calls `adapter.handleWebhook` as the core would; returns the response and what was emitted. */
export function createPoster(adapter: ChannelAdapter) {
  return async (request: Request, sink: EventSink = createRecordingSink()) => {
    if (!adapter.handleWebhook) throw new Error('the adapter takes no webhooks');
    const response = await adapter.handleWebhook(request, {
      sink,
      publicUrl: WEBHOOK_URL,
      waitUntil: () => {},
    });
    const events: readonly InboundEvent[] = (sink as { events?: InboundEvent[] }).events ?? [];
    return { response, events };
  };
}
