import {
  type AdapterContext,
  type ChannelAdapter,
  createSentParts,
  DeliveryError,
  type OutboundEnvelope,
  type SendOptions,
  type SendResult,
  systemClock,
  type WebhookContext,
} from '@threadline/core';
import { twilioSmsCapabilities } from './capabilities';
import { ERROR_OPTED_OUT } from './errors';
import { resolveOptions, type TwilioSmsAdapterOptions } from './options';
import { takesMms } from './render/media';
import { renderEnvelope } from './render/text';
import { countSegments, type SegmentCount } from './segments';
import { createMessagesClient } from './send';
import { isAlphanumericSender, pickSender } from './senders';
import { createWebhookHandler } from './webhook/handler';

/**
 * The factory: options → a `ChannelAdapter` for one Twilio sender (one or more numbers, or a
 * Messaging Service), wiring the REST client, the renderer and the webhook handler together.
 */

/** A Twilio SMS adapter: a `ChannelAdapter`, plus segment counting and media downloads. */
export interface TwilioSmsAdapter extends ChannelAdapter {
  readonly channel: 'sms';
  readonly provider: 'twilio';
  /** The configured sender numbers or ids (empty with a Messaging Service only). */
  readonly senders: readonly string[];
  readonly messagingServiceSid: string | undefined;
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  start(context: AdapterContext): Promise<void>;
  stop(): Promise<void>;
  /** The encoding and segments one message body is billed as. */
  countSegments(text: string): SegmentCount;
  /** Downloads an inbound MMS file (`message.media[i].url`) with the account's credentials. */
  downloadMedia(url: string): Promise<{ data: Uint8Array; contentType: string | null }>;
}

/**
 * Creates a Twilio SMS/MMS adapter. Secrets fall back to `TWILIO_ACCOUNT_SID`,
 * `TWILIO_AUTH_TOKEN` and `TWILIO_MESSAGING_SERVICE_SID`. Point the number's (or service's)
 * incoming-message webhook at `<public base>/webhooks/<adapter.id>`; with `webhookUrl` set, status
 * callbacks are requested to the same URL.
 *
 * @throws ConfigError naming every bad option.
 * @example
 * ```ts
 * const sms = createTwilioSmsAdapter({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID,
 *   authToken: process.env.TWILIO_AUTH_TOKEN,
 *   from: '+15005550006',
 *   webhookUrl: 'https://example.com/webhooks/sms',
 *   id: 'sms',
 * });
 * const threadline = createThreadline({ store, adapters: [sms], onMessage });
 * ```
 */
export function createTwilioSmsAdapter(input: TwilioSmsAdapterOptions): TwilioSmsAdapter {
  const options = resolveOptions(input);
  const clock = options.clock ?? systemClock;
  const senders = options.from ?? [];
  const id = options.id ?? `sms-${senders[0] ?? options.messagingServiceSid}`;
  const capabilities = twilioSmsCapabilities({
    perSecond: options.rate.perSecond,
    keywords: options.keywordLists,
  });
  const messages = createMessagesClient({
    accountSid: options.accountSid,
    username: options.apiKey?.sid ?? options.accountSid,
    password: options.apiKey?.secret ?? options.authToken,
    timeoutMs: options.timeoutMs,
    now: () => clock.now(),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.edge === undefined ? {} : { edge: options.edge }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const statusCallback =
    (options.statusCallbacks ?? options.webhookUrl !== undefined) ? options.webhookUrl : undefined;
  // Parts already sent per delivery: a retry resumes after them.
  const sentParts = createSentParts();
  let context: AdapterContext | undefined;

  /** Twilio's 21610 means the user texted STOP: record it, so no other number sends either. */
  async function recordOptOut(address: string): Promise<void> {
    if (context === undefined) return;
    await context.sink
      .emit({
        type: 'opt-out',
        adapterId: id,
        channel: 'sms',
        from: { address },
        timestamp: new Date(clock.now()),
      })
      .catch((error: unknown) =>
        context?.logger.warn({ adapterId: id, error }, 'could not record the opt-out of 21610'),
      );
  }

  const handleWebhook = createWebhookHandler({
    authToken: options.authToken,
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
    parse: { adapterId: id, accountSid: options.accountSid, now: () => clock.now() },
    keywords: options.keywordLists,
    ...(options.helpReply === undefined ? {} : { helpReply: options.helpReply }),
    context: () => context,
  });

  return {
    id,
    channel: 'sms',
    provider: 'twilio',
    senders,
    messagingServiceSid: options.messagingServiceSid,
    capabilities,
    handleWebhook,

    async start(given) {
      context = given;
    },
    async stop() {
      context = undefined;
    },

    async send(envelope: OutboundEnvelope, sendOptions?: SendOptions): Promise<SendResult> {
      const to = envelope.to.address;
      const from = pickSender(senders, to);
      const mms =
        (envelope.media?.length ?? 0) > 0 &&
        !isAlphanumericSender(from) &&
        takesMms(to, options.mmsCountries);
      const rendered = renderEnvelope(envelope, { capabilities, mms });
      let sids: string[];
      try {
        sids = await sentParts.resume(envelope.deliveryId, async (sids) => {
          for (const message of rendered.slice(sids.length)) {
            const created = await messages.create(
              {
                to,
                ...(from === undefined ? {} : { from }),
                ...(from === undefined && options.messagingServiceSid !== undefined
                  ? { messagingServiceSid: options.messagingServiceSid }
                  : {}),
                ...message,
                ...(statusCallback === undefined ? {} : { statusCallback }),
              },
              sendOptions?.signal,
            );
            sids.push(created.sid);
          }
        });
      } catch (error) {
        if (error instanceof DeliveryError && error.providerCode === String(ERROR_OPTED_OUT)) {
          await recordOptOut(to);
        }
        throw error;
      }
      return {
        providerMessageId: sids[0] as string,
        ...(sids.length > 1 ? { providerMessageIds: sids } : {}),
        status: 'accepted',
      };
    },

    countSegments,

    async downloadMedia(url) {
      const response = await (options.fetch ?? fetch)(url, {
        headers: {
          authorization: `Basic ${btoa(`${options.apiKey?.sid ?? options.accountSid}:${options.apiKey?.secret ?? options.authToken}`)}`,
        },
      });
      if (!response.ok) {
        throw new DeliveryError(`Twilio media download failed (HTTP ${response.status})`, {
          category: 'media',
          provider: 'twilio',
          httpStatus: response.status,
          retryable: response.status >= 500,
        });
      }
      return {
        data: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type'),
      };
    },
  };
}
