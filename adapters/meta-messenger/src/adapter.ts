import {
  type ChannelAdapter,
  createSentParts,
  DeliveryError,
  type OutboundEnvelope,
  rememberBounded,
  type SendOptions,
  type SendResult,
  systemClock,
  type WebhookContext,
} from '@threadline/core';
import { metaCapabilities } from './capabilities';
import { type MetaMessengerAdapterOptions, type MetaPlatform, resolveOptions } from './options';
import { renderEnvelope } from './render/envelope';
import { createSendApiClient } from './send';
import { createWebhookHandler } from './webhook/handler';

/**
 * The factory: options → one `ChannelAdapter` per inbox. Messenger and Instagram are two
 * channels with different capabilities (Instagram: no button template or files, one tag) and
 * different people ids (a PSID and an IGSID are unrelated), so one adapter serves one of them;
 * a host with a Page and its Instagram account creates two adapters from the same package.
 */

/** A Messenger or Instagram adapter: a `ChannelAdapter` with every action. */
export interface MetaMessengerAdapter extends ChannelAdapter {
  readonly channel: MetaPlatform;
  readonly provider: 'meta';
  readonly pageId: string;
  /** The tags this app may use outside the 24-hour window, in order of preference. */
  readonly windowTags: readonly string[];
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  markRead(input: { to: { address: string }; providerMessageId: string }): Promise<void>;
  sendTyping(input: { to: { address: string }; replyTo?: string }): Promise<void>;
  react(input: {
    to: { address: string };
    providerMessageId: string;
    emoji: string;
  }): Promise<SendResult>;
}

/** PSIDs and IGSIDs are digits; anything else would be refused by Meta as 100/2018001. */
function recipient(address: string): { id: string } {
  if (!/^\d+$/.test(address)) {
    throw new DeliveryError(`${JSON.stringify(address)} is not a PSID or IGSID`, {
      category: 'invalid_request',
      provider: 'meta',
      retryable: false,
    });
  }
  return { id: address };
}

/**
 * Creates a Messenger (or, with `platform: 'instagram'`, an Instagram Direct) adapter on the Send
 * API over `fetch`. Point the app's webhook for the product at `<publicBaseUrl>/webhooks/<adapter.id>`.
 *
 * @throws ConfigError naming every bad option.
 * @example
 * ```ts
 * const messenger = createMetaMessengerAdapter({
 *   pageId: '107000000000001',
 *   pageAccessToken: process.env.PAGE_ACCESS_TOKEN ?? '',
 *   appSecret: process.env.META_APP_SECRET ?? '',
 *   verifyToken: 'my-verify-token',
 *   messageTags: ['HUMAN_AGENT'],
 * });
 * const instagram = createMetaMessengerAdapter({
 *   platform: 'instagram',
 *   pageId: '107000000000001',
 *   instagramAccountId: '17841400000000001',
 *   pageAccessToken: process.env.PAGE_ACCESS_TOKEN ?? '',
 *   appSecret: process.env.META_APP_SECRET ?? '',
 *   verifyToken: 'my-verify-token',
 * });
 * const threadline = createThreadline({ store, adapters: [messenger, instagram], onMessage });
 * ```
 */
export function createMetaMessengerAdapter(
  input: MetaMessengerAdapterOptions,
): MetaMessengerAdapter {
  const options = resolveOptions(input);
  const clock = options.clock ?? systemClock;
  const platform = options.platform;
  const accountId =
    platform === 'instagram' ? (options.instagramAccountId as string) : options.pageId;
  const id = options.id ?? `${platform}-${accountId}`;
  const capabilities = metaCapabilities({ platform, perSecond: options.rate.perSecond });
  const client = createSendApiClient({
    baseUrl: options.baseUrl,
    apiVersion: options.apiVersion,
    pageId: options.pageId,
    pageAccessToken: options.pageAccessToken,
    timeoutMs: options.timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  // mids already sent per delivery: a retry of a split message resumes after them instead of
  // sending the first parts twice (the Send API has no idempotency key).
  const sentParts = createSentParts();
  // Every mid this adapter sent lately, so their echoes are dropped even before the core has
  // recorded the send's answer.
  const ours = new Map<string, true>();

  const handleWebhook = createWebhookHandler({
    appSecret: options.appSecret,
    verifyToken: options.verifyToken,
    parse: {
      adapterId: id,
      channel: platform,
      object: platform === 'instagram' ? 'instagram' : 'page',
      accountId,
      ...(options.appId === undefined ? {} : { appId: options.appId }),
      sentByUs: (mid) => ours.has(mid),
      now: () => clock.now(),
    },
  });

  const action = (to: string, body: Record<string, unknown>) =>
    client.sendAction({ recipient: recipient(to), ...body });

  return {
    id,
    channel: platform,
    provider: 'meta',
    pageId: options.pageId,
    capabilities,
    windowTags: options.messageTags,
    handleWebhook,

    async send(envelope: OutboundEnvelope, sendOptions?: SendOptions): Promise<SendResult> {
      const to = recipient(envelope.to.address);
      const messages = renderEnvelope(envelope, capabilities);
      const routing =
        envelope.tag === undefined
          ? { messaging_type: 'RESPONSE' }
          : { messaging_type: 'MESSAGE_TAG', tag: envelope.tag };
      const ids = await sentParts.resume(envelope.deliveryId, async (ids) => {
        for (const message of messages.slice(ids.length)) {
          const first = ids.length === 0;
          const mid = await client.sendMessage(
            {
              recipient: to,
              ...routing,
              message,
              // Quotes the user's message on the first message only (unconfirmed field placement).
              ...(first && envelope.replyTo !== undefined
                ? { reply_to: { mid: envelope.replyTo } }
                : {}),
            },
            sendOptions?.signal,
          );
          ids.push(mid);
          rememberBounded(ours, mid, true);
        }
      });
      return {
        providerMessageId: ids[0] as string,
        ...(ids.length > 1 ? { providerMessageIds: ids } : {}),
        status: 'accepted',
      };
    },

    async markRead({ to }) {
      await action(to.address, { sender_action: 'mark_seen' });
    },

    async sendTyping({ to }) {
      await action(to.address, { sender_action: 'typing_on' });
    },

    async react({ to, providerMessageId, emoji }) {
      await action(to.address, {
        sender_action: emoji === '' ? 'unreact' : 'react',
        payload: { message_id: providerMessageId, ...(emoji === '' ? {} : { reaction: emoji }) },
      });
      // The Send API answers a sender action with the recipient only; the reaction has no mid.
      return { providerMessageId: `reaction:${providerMessageId}`, status: 'accepted' };
    },
  };
}
