import {
  type ChannelAdapter,
  createSentParts,
  DeliveryError,
  type InboundEvent,
  type OutboundEnvelope,
  rememberBounded,
  type SendOptions,
  type SendResult,
  systemClock,
  type TemplateMessage,
  type WebhookContext,
} from '@threadline/core';
import { whatsAppCapabilities } from './capabilities';
import { type DownloadedMedia, downloadMedia } from './media-download';
import {
  type ResolvedWhatsAppCloudOptions,
  resolveOptions,
  type TemplateOption,
  type WhatsAppCloudAdapterOptions,
} from './options';
import { type RenderContext, renderEnvelope } from './render/envelope';
import { createGraphClient } from './send';
import { createWebhookHandler } from './webhook/handler';

/**
 * The factory: options → a `ChannelAdapter` for one WhatsApp Business phone number, wiring the
 * Graph client, the renderers and the webhook handler together.
 */

/** A WhatsApp Cloud adapter: a `ChannelAdapter` with every action, plus media downloads. */
export interface WhatsAppCloudAdapter extends ChannelAdapter {
  readonly channel: 'whatsapp';
  readonly provider: 'meta';
  readonly phoneNumberId: string;
  /** The configured default template, for hosts' cold outreach and bulk sends. */
  readonly defaultTemplate: TemplateMessage | undefined;
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  markRead(input: { to: { address: string }; providerMessageId: string }): Promise<void>;
  /**
   * Shows "typing…" (and marks the message read) for up to 25 s or until the next message.
   * WhatsApp ties it to a message of the user's: `replyTo`, else the last one this adapter saw.
   */
  sendTyping(input: { to: { address: string }; replyTo?: string }): Promise<void>;
  react(input: {
    to: { address: string };
    providerMessageId: string;
    emoji: string;
  }): Promise<SendResult>;
  /** Downloads an inbound media file (`message.media[i].mediaId`) through the Media API. */
  downloadMedia(mediaId: string): Promise<DownloadedMedia>;
}

function toTemplate(option: TemplateOption | undefined): TemplateMessage | undefined {
  if (option === undefined) return undefined;
  return {
    name: option.name,
    languageCode: option.languageCode,
    ...(option.category === undefined ? {} : { category: option.category }),
  };
}

/** Graph wants `to` as digits; our addresses are E.164 with `+`. */
function recipient(address: string): string {
  const digits = address.replace(/\D/g, '');
  if (digits.length < 7) {
    throw new DeliveryError(`${JSON.stringify(address)} is not a phone number`, {
      category: 'invalid_request',
      provider: 'meta',
    });
  }
  return digits;
}

/**
 * Creates a WhatsApp Cloud API adapter for one phone number: `fetch` to the Graph API, no SDK.
 * Secrets fall back to `WHATSAPP_PHONE_NUMBER_ID`, `WHATSAPP_ACCESS_TOKEN`, `WHATSAPP_APP_SECRET`
 * and `WHATSAPP_VERIFY_TOKEN`. Point Meta's webhook at `<publicBaseUrl>/webhooks/<adapter.id>`.
 *
 * @throws ConfigError naming every bad option.
 * @example
 * ```ts
 * const whatsapp = createWhatsAppCloudAdapter({
 *   phoneNumberId: '106540352242922',
 *   accessToken: process.env.WHATSAPP_ACCESS_TOKEN,
 *   appSecret: process.env.WHATSAPP_APP_SECRET,
 *   verifyToken: 'my-verify-token',
 *   reEngagementTemplate: { name: 'reopen_chat', languageCode: 'en_US', category: 'UTILITY' },
 * });
 * const threadline = createThreadline({ store, adapters: [whatsapp], onMessage });
 * ```
 */
export function createWhatsAppCloudAdapter(
  input: WhatsAppCloudAdapterOptions,
): WhatsAppCloudAdapter {
  return buildAdapter(resolveOptions(input));
}

/**
 * Numbers sharing one callback URL (`createWhatsAppCloudAdapters`): which adapter serves each
 * phone-number id, and each adapter's hook for the events routed to it.
 */
export interface WebhookGroup {
  routes: Map<string, string>;
  emitted: Map<string, (event: InboundEvent) => void>;
}

/** The default adapter id of a number. */
export function defaultAdapterId(phoneNumberId: string): string {
  return `whatsapp-${phoneNumberId}`;
}

/** Builds one number's adapter from resolved options, optionally as a member of a group. */
export function buildAdapter(
  options: ResolvedWhatsAppCloudOptions,
  group?: WebhookGroup,
): WhatsAppCloudAdapter {
  const clock = options.clock ?? systemClock;
  const id = options.id ?? defaultAdapterId(options.phoneNumberId);
  const capabilities = whatsAppCapabilities({
    perSecond: options.rate.perSecond,
    carousel: options.carouselTemplate !== undefined,
  });
  const graph = createGraphClient({
    baseUrl: options.baseUrl,
    apiVersion: options.apiVersion,
    accessToken: options.accessToken,
    phoneNumberId: options.phoneNumberId,
    timeoutMs: options.timeoutMs,
    perSecond: options.rate.perSecond,
    clock,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const render: RenderContext = {
    capabilities,
    options: { ...options.interactive, previewLinks: options.previewLinks },
    ...(options.carouselTemplate === undefined ? {} : { carousel: options.carouselTemplate }),
  };
  // wamids already sent per delivery: a retry of a split message resumes after them instead of
  // sending the first parts twice (Graph has no idempotency key).
  const sentParts = createSentParts();
  // The user's latest message id per address, which WhatsApp's typing indicator must refer to.
  const lastInbound = new Map<string, string>();
  const defaultTemplate = toTemplate(options.defaultTemplate);
  const reEngagementTemplate = toTemplate(options.reEngagementTemplate) ?? defaultTemplate;

  const onEmitted = (event: InboundEvent) => {
    if (event.type === 'message') {
      rememberBounded(lastInbound, event.message.from.address, event.message.providerMessageId);
    }
  };
  group?.emitted.set(id, onEmitted);
  const handleWebhook = createWebhookHandler({
    appSecret: options.appSecret,
    verifyToken: options.verifyToken,
    parse: {
      origin: { adapterId: id, channel: 'whatsapp', now: () => clock.now() },
      phoneNumberId: options.phoneNumberId,
      ...(group === undefined ? {} : { routes: group.routes }),
    },
    // An event routed to another number of the group is remembered by that number's adapter.
    onEmitted: (event) => (group?.emitted.get(event.adapterId) ?? onEmitted)(event),
  });

  return {
    id,
    channel: 'whatsapp',
    provider: 'meta',
    phoneNumberId: options.phoneNumberId,
    capabilities,
    defaultTemplate,
    ...(reEngagementTemplate === undefined ? {} : { reEngagementTemplate }),
    handleWebhook,

    async send(envelope: OutboundEnvelope, sendOptions?: SendOptions): Promise<SendResult> {
      const signal = sendOptions?.signal;
      const to = recipient(envelope.to.address);
      const messages = renderEnvelope(envelope, render);
      let waId: string | undefined;
      const ids = await sentParts.resume(envelope.deliveryId, async (ids) => {
        for (const message of messages.slice(ids.length)) {
          const answer = await graph.sendMessage(to, message, signal);
          ids.push(answer.id);
          waId ??= answer.waId;
        }
      });
      return {
        providerMessageId: ids[0] as string,
        ...(ids.length > 1 ? { providerMessageIds: ids } : {}),
        status: 'accepted',
        ...(waId === undefined ? {} : { address: `+${waId}` }),
      };
    },

    async markRead({ providerMessageId }) {
      await graph.postStatus({ status: 'read', message_id: providerMessageId });
    },

    async sendTyping({ to, replyTo }) {
      const messageId = replyTo ?? lastInbound.get(to.address);
      if (messageId === undefined) {
        throw new DeliveryError(
          `WhatsApp shows typing only in answer to a message, and none from ${to.address} is known`,
          { category: 'invalid_request', provider: 'meta' },
        );
      }
      await graph.postStatus({
        status: 'read',
        message_id: messageId,
        typing_indicator: { type: 'text' },
      });
    },

    async react({ to, providerMessageId, emoji }) {
      const answer = await graph.sendMessage(recipient(to.address), {
        type: 'reaction',
        reaction: { message_id: providerMessageId, emoji },
      });
      return { providerMessageId: answer.id, status: 'accepted' };
    },

    downloadMedia: (mediaId) =>
      downloadMedia(graph, { mediaId, phoneNumberId: options.phoneNumberId }),
  };
}
