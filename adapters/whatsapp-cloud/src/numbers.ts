import { ConfigError } from '@threadline/core';
import {
  buildAdapter,
  defaultAdapterId,
  type WebhookGroup,
  type WhatsAppCloudAdapter,
} from './adapter';
import { resolveOptions, type WhatsAppCloudAdapterOptions } from './options';

/**
 * Several WhatsApp numbers (of one Meta app, across one or more WABAs) behind the app's one
 * callback URL. Meta posts every number's events to that URL, batched together, so each number's
 * adapter routes every change by `metadata.phone_number_id` to the adapter that owns it.
 * Source: https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
 */

/** What one number may set for itself; the rest comes from the shared options. */
export type WhatsAppCloudNumberOptions = { phoneNumberId: string; id?: string } & Partial<
  Omit<WhatsAppCloudAdapterOptions, 'phoneNumberId' | 'id' | 'appSecret' | 'verifyToken'>
>;

/** Options of {@link createWhatsAppCloudAdapters}. */
export type WhatsAppCloudNumbersOptions = Partial<
  Omit<WhatsAppCloudAdapterOptions, 'phoneNumberId' | 'id'>
> & {
  /** The numbers served: at least one, each phone-number id and adapter id once. */
  numbers: WhatsAppCloudNumberOptions[];
};

function configError(path: string, message: string): ConfigError {
  return new ConfigError('createWhatsAppCloudAdapters', [{ path, message }]);
}

/**
 * Creates one adapter per number, all sharing one webhook: point the Meta app's callback URL at
 * any of them (`/webhooks/<adapters[0].id>`). A change for a number that is not in `numbers` is
 * not recorded: the core logs it and emits `webhook.unrouted` with a running count. The app
 * secret and verify token are the app's, so they are shared; the access token, templates and rate
 * may differ per number (a number of another WABA has its own system-user token).
 * Sending picks the number as for any adapters: `from: '<adapter id>'`, else the number the user
 * last wrote to, else the first number.
 *
 * @throws ConfigError naming the bad option (`numbers.1.phoneNumberId: duplicate …`).
 * @example
 * ```ts
 * const whatsapp = createWhatsAppCloudAdapters({
 *   accessToken: process.env.WHATSAPP_ACCESS_TOKEN,
 *   appSecret: process.env.WHATSAPP_APP_SECRET,
 *   verifyToken: 'my-verify-token',
 *   numbers: [
 *     { phoneNumberId: '106540352242922', id: 'sales' },
 *     { phoneNumberId: '107655329736160', id: 'support', accessToken: process.env.SUPPORT_WABA_TOKEN },
 *   ],
 * });
 * const threadline = createThreadline({ store, adapters: [...whatsapp], onMessage });
 * // Meta's callback URL: https://<host>/webhooks/sales
 * ```
 */
export function createWhatsAppCloudAdapters(
  input: WhatsAppCloudNumbersOptions,
): WhatsAppCloudAdapter[] {
  const { numbers, ...shared } = input ?? ({} as WhatsAppCloudNumbersOptions);
  if (!Array.isArray(numbers) || numbers.length === 0) {
    throw configError('numbers', 'give at least one number ({ phoneNumberId })');
  }
  const group: WebhookGroup = { routes: new Map(), emitted: new Map() };
  const ids = new Set<string>();
  const resolved = numbers.map((number, index) => {
    for (const key of ['appSecret', 'verifyToken'] as const) {
      if (key in (number as object)) {
        throw configError(`numbers.${index}.${key}`, `${key} belongs to the Meta app: set it once`);
      }
    }
    const options = resolveOptions({ ...shared, ...number } as WhatsAppCloudAdapterOptions);
    const id = options.id ?? defaultAdapterId(options.phoneNumberId);
    if (group.routes.has(options.phoneNumberId)) {
      throw configError(`numbers.${index}.phoneNumberId`, `duplicate ${options.phoneNumberId}`);
    }
    if (ids.has(id)) throw configError(`numbers.${index}.id`, `duplicate adapter id ${id}`);
    ids.add(id);
    group.routes.set(options.phoneNumberId, id);
    return options;
  });
  return resolved.map((options) => buildAdapter(options, group));
}
