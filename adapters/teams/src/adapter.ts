import {
  type ChannelAdapter,
  type JsonValue,
  type OutboundEnvelope,
  rememberBounded,
  type SendOptions,
  type SendResult,
  systemClock,
  type WebhookContext,
} from '@threadline/core';
import { createBotFramework } from './bot-framework';
import { teamsCapabilities } from './capabilities';
import { resolveTeamsOptions, type TeamsAdapterOptions } from './options';
import { createSender } from './send';
import { createWebhookHandler } from './webhook/handler';

/**
 * The factory: options → a `ChannelAdapter` for one Teams bot, wiring the seam (botbuilder), the
 * webhook handler, the renderers and the sender together.
 */

/** A Teams adapter: a `ChannelAdapter` with typing. */
export interface TeamsAdapter extends ChannelAdapter {
  readonly channel: 'teams';
  readonly provider: 'microsoft';
  readonly appId: string;
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  /**
   * Shows "typing…" in the user's conversation: through `reference` when given, else the one
   * this adapter last saw for the address.
   */
  sendTyping(input: { to: { address: string; reference?: JsonValue } }): Promise<void>;
}

/**
 * Creates a Microsoft Teams adapter on botbuilder's `CloudAdapter`. Inbound activities are
 * authenticated by botbuilder against the Bot Framework's OpenID metadata; sends continue the
 * conversation whose reference the core stored when the app was installed or the user wrote.
 * Point the bot's messaging endpoint at `<publicBaseUrl>/webhooks/<adapter.id>`.
 *
 * @throws ConfigError naming every bad option.
 * @example
 * ```ts
 * const teams = createTeamsAdapter({
 *   appId: process.env.MICROSOFT_APP_ID,
 *   appPassword: process.env.MICROSOFT_APP_PASSWORD,
 * });
 * const threadline = createThreadline({ store, adapters: [teams], onMessage });
 * ```
 */
export function createTeamsAdapter(input: TeamsAdapterOptions): TeamsAdapter {
  const options = resolveTeamsOptions(input);
  const clock = options.clock ?? systemClock;
  const id = options.id ?? `teams-${options.appId}`;
  const capabilities = teamsCapabilities({ streaming: options.streaming });
  const bot = createBotFramework({
    appId: options.appId,
    appType: options.appType,
    endpoints: options.endpoints,
    ...(options.appPassword === undefined ? {} : { appPassword: options.appPassword }),
    ...(options.certificate === undefined ? {} : { certificate: options.certificate }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const sender = createSender({
    bot,
    render: { capabilities, cardActions: options.cardActions },
    serviceUrls: options.serviceUrls,
    timeoutMs: options.timeoutMs,
    streaming: options.streaming,
    clock,
  });
  const references = new Map<string, JsonValue>();

  const handleWebhook = createWebhookHandler({
    bot,
    parse: { adapterId: id, now: () => clock.now() },
    serviceUrls: options.serviceUrls,
    onEmitted(event) {
      if (!('reference' in event) || event.reference === undefined) return;
      const address = event.type === 'message' ? event.message.from.address : event.from.address;
      // References seen per address, bounded: a typing indicator needs one without a store read.
      if (event.reference === null) references.delete(address);
      else rememberBounded(references, address, event.reference);
    },
  });

  return {
    id,
    channel: 'teams',
    provider: 'microsoft',
    appId: options.appId,
    capabilities,
    handleWebhook,
    send: (envelope: OutboundEnvelope, sendOptions?: SendOptions): Promise<SendResult> =>
      sender.send(envelope, sendOptions?.signal),
    sendTyping: ({ to }) => sender.typing(to.reference ?? references.get(to.address), to.address),
  };
}
