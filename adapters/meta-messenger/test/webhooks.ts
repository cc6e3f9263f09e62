import { createHmac } from 'node:crypto';
import { APP_SECRET, IG_ACCOUNT_ID, PAGE_ID } from './send-api';

/** Webhook requests as Meta sends them, signed with node:crypto over the exact bytes sent. */

export const MESSENGER_URL = `https://agent.example.test/webhooks/messenger-${PAGE_ID}`;
export const INSTAGRAM_URL = `https://agent.example.test/webhooks/instagram-${IG_ACCOUNT_ID}`;

/** `sha256=<hex HMAC-SHA256(body, secret)>`, Meta's `X-Hub-Signature-256`. */
export function signature(body: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A POST carrying `payload`, signed unless told otherwise. */
export function webhookRequest(
  payload: unknown,
  options: { secret?: string; signature?: string | null; url?: string } = {},
): Request {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signed =
    options.signature === undefined ? signature(body, options.secret) : options.signature;
  if (signed !== null) headers['x-hub-signature-256'] = signed;
  return new Request(options.url ?? MESSENGER_URL, { method: 'POST', headers, body });
}

/** `{ object, entry: [{ id, time, messaging }] }` around events, one entry per list. */
export function envelope(object: 'page' | 'instagram', ...entries: unknown[][]) {
  const id = object === 'page' ? PAGE_ID : IG_ACCOUNT_ID;
  return {
    object,
    entry: entries.map((messaging, i) => ({ id, time: 1_767_225_600_000 + i, messaging })),
  };
}
