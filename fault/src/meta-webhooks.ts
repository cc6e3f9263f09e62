import { signWhatsAppWebhook } from '@threadline/emulators';

/**
 * Inbound WhatsApp messages as Meta delivers them: a signed webhook POST, retried while the answer
 * is not 2xx (Meta retries for up to 7 days with backoff; here the backoff is short so a scenario
 * fits in seconds, the behaviour is the same: a non-2xx answer is never the end).
 */

export const PHONE_NUMBER_ID = '106540352242922';
export const APP_SECRET = 'fault-app-secret';
export const VERIFY_TOKEN = 'fault-verify-token';
export const ACCESS_TOKEN = 'fault-access-token';
export const ADAPTER_ID = `whatsapp-${PHONE_NUMBER_ID}`;

/** How often, and how far apart, the stand-in for Meta retries one webhook. */
export const META_RETRY = { attempts: 40, delayMs: 250 } as const;

/** The signed body of one inbound text message. */
export function inboundMessage(
  from: string,
  id: string,
  text: string,
): { body: string; signature: string } {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Fault' }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: signWhatsAppWebhook(body, APP_SECRET) };
}

/** What happened to one webhook: how many POSTs it took and whether one was finally answered 2xx. */
export interface WebhookOutcome {
  attempts: number;
  accepted: boolean;
}

/** POSTs the webhook to `url`, retrying on a non-2xx answer or a refused connection. */
export async function deliverWebhook(
  url: string,
  webhook: { body: string; signature: string },
  /** False once the receiving process is gone for good (crashed): retrying it is pointless. */
  alive: () => boolean = () => true,
): Promise<WebhookOutcome> {
  for (let attempt = 1; attempt <= META_RETRY.attempts; attempt += 1) {
    if (!alive()) return { attempts: attempt - 1, accepted: false };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhook.signature },
        body: webhook.body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.ok) return { attempts: attempt, accepted: true };
    } catch {
      // A refused or reset connection: Meta retries it like a 5xx.
    }
    await new Promise((resolve) => setTimeout(resolve, META_RETRY.delayMs));
  }
  return { attempts: META_RETRY.attempts, accepted: false };
}
