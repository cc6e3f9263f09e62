import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { postWebhook, type RetryPolicy, type WebhookOutcome } from '../http/webhook-delivery';
import type { WebhookFailure } from './types';

/** The business number a webhook is about: `metadata` and `entry[].id`. */
export interface BusinessIdentity {
  phoneNumberId: string;
  displayPhoneNumber: string;
  businessAccountId: string;
}

/**
 * `X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret, hex, `sha256=` prefix.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
 *
 * @example
 * ```ts
 * signBody('{"object":"whatsapp_business_account"}', 'app-secret'); // 'sha256=5f1c…'
 * ```
 */
export function signBody(body: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Meta's webhook envelope around one `value` (messages with contacts, or statuses). Real
 * deliveries can batch several entries and changes; the emulator sends one per webhook, which
 * every correct receiver handles as well.
 */
export function webhookEnvelope(business: BusinessIdentity, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: business.displayPhoneNumber,
                phone_number_id: business.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** Posts signed webhooks to the app and remembers the ones it never accepted. */
export interface WebhookSender {
  post(kind: WebhookFailure['kind'], payload: unknown): Promise<WebhookOutcome>;
  failures(): WebhookFailure[];
  /** Meta's verification GET: `hub.mode=subscribe`, a random `hub.challenge`, the verify token. */
  verify(verifyToken: string): Promise<WebhookVerification>;
}

/** The outcome of a `hub.challenge` handshake. */
export interface WebhookVerification {
  /** The app answered 200 with exactly the challenge. */
  ok: boolean;
  status?: number;
  challenge: string;
  body?: string;
  error?: string;
}

/** What {@link createWebhookSender} needs. */
export interface WebhookSenderConfig {
  /** Read on every post, so `setWebhookUrl` takes effect for the next webhook. */
  url: () => string | undefined;
  appSecret: string;
  policy: RetryPolicy;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal;
  onFailure: (failure: WebhookFailure) => void;
}

/**
 * Creates a {@link WebhookSender}. The body is serialised once and those exact bytes are both
 * signed and sent: re-serialising could reorder keys and break the receiver's HMAC check.
 *
 * @example
 * ```ts
 * const sender = createWebhookSender({ url: () => appUrl, appSecret, policy, clock, sleep, signal, onFailure });
 * await sender.post('message', webhookEnvelope(business, { contacts, messages }));
 * ```
 */
export function createWebhookSender(config: WebhookSenderConfig): WebhookSender {
  const failures: WebhookFailure[] = [];

  function fail(kind: WebhookFailure['kind'], payload: unknown, outcome: WebhookOutcome) {
    const failure = { kind, payload, outcome, at: config.clock.now() };
    failures.push(failure);
    config.onFailure(failure);
    return outcome;
  }

  return {
    failures: () => [...failures],
    async post(kind, payload) {
      const url = config.url();
      if (url === undefined) {
        return fail(kind, payload, { ok: false, attempts: 0, error: 'no webhookUrl configured' });
      }
      const body = JSON.stringify(payload);
      const outcome = await postWebhook({
        url,
        body,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signBody(body, config.appSecret),
          'user-agent': 'facebookexternalua',
        },
        policy: config.policy,
        sleep: config.sleep,
        signal: config.signal,
      });
      return outcome.ok ? outcome : fail(kind, payload, outcome);
    },
    async verify(verifyToken) {
      const target = config.url();
      const challenge = String(randomBytes(6).readUIntBE(0, 6));
      if (target === undefined) return { ok: false, challenge, error: 'no webhookUrl configured' };
      const url = new URL(target);
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.challenge', challenge);
      url.searchParams.set('hub.verify_token', verifyToken);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(config.policy.timeoutMs) });
        const body = await response.text();
        return {
          ok: response.status === 200 && body === challenge,
          status: response.status,
          challenge,
          body,
        };
      } catch (error) {
        return {
          ok: false,
          challenge,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}
