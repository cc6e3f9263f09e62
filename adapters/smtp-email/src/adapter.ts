import {
  type AdapterContext,
  type ChannelAdapter,
  type OutboundEnvelope,
  type SendOptions,
  type SendResult,
  systemClock,
  type WebhookContext,
} from '@threadline/core';
import { emailCapabilities } from './capabilities';
import { type SmtpListener, startListener } from './inbound/listener';
import type { ReceiveDeps } from './inbound/receive';
import { createLinkSigner, type LinkSigner } from './links';
import { resolveOptions, type SmtpEmailAdapterOptions } from './options';
import { domainOf, sendEnvelope } from './outbound';
import { createMailTransport } from './send';
import { createWebhookHandler } from './webhook/handler';
import { createReplayGuard } from './webhook/verify';

/**
 * The factory: options → a `ChannelAdapter` for one sending address, wiring the transport, the
 * renderers, the signed links, the SMTP listener and the webhook routes together.
 */

/** An email adapter: a `ChannelAdapter` with a webhook, a listener and the listener's port. */
export interface SmtpEmailAdapter extends ChannelAdapter {
  readonly channel: 'email';
  readonly provider: 'smtp';
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  start(context: AdapterContext): Promise<void>;
  stop(): Promise<void>;
  /** The SMTP listener's port once started (useful with `listener.port: 0`), else `undefined`. */
  listenerPort(): number | undefined;
}

/**
 * Creates an email adapter: nodemailer out (pooled SMTP by default, or any transport), and in
 * through its SMTP listener or inbound-parse webhooks at `<publicBaseUrl>/webhooks/<id>/inbound/…`.
 *
 * @throws ConfigError naming every bad option.
 * @example
 * ```ts
 * const email = createSmtpEmailAdapter({
 *   from: 'Acme <agent@acme.example>',
 *   transport: { host: 'smtp.acme.example', port: 587, auth: { user: 'agent', pass: process.env.SMTP_PASS! } },
 *   publicUrl: 'https://acme.example/webhooks/email',
 *   linkSecret: process.env.EMAIL_LINK_SECRET,
 *   listener: { port: 25, recipients: ['agent@acme.example'] },
 * });
 * const threadline = createThreadline({ store, adapters: [email], onMessage });
 * ```
 */
export function createSmtpEmailAdapter(input: SmtpEmailAdapterOptions): SmtpEmailAdapter {
  const options = resolveOptions(input);
  const clock = options.clock ?? systemClock;
  const id = options.id;
  const capabilities = emailCapabilities({
    actionLinks: options.publicUrl !== undefined && options.linkSecret !== undefined,
    perSecond: options.perSecond,
  });
  const transport = createMailTransport(options.transport, options.dkim);
  const signer: LinkSigner | undefined =
    options.linkSecret === undefined
      ? undefined
      : createLinkSigner({ secret: options.linkSecret, audience: id, now: () => clock.now() });
  let context: AdapterContext | undefined;
  let listener: SmtpListener | undefined;
  const receive: ReceiveDeps = {
    adapterId: id,
    context: () => context,
    linkSecret: options.linkSecret,
    attachments: options.attachments,
    now: () => clock.now(),
  };
  const handleWebhook = createWebhookHandler({
    webhooks: options.webhooks,
    receive,
    links: { adapterId: id, signer, fromDomain: domainOf(options.from), now: () => clock.now() },
    replay: createReplayGuard(() => context, {
      adapterId: id,
      maxAgeSeconds: options.webhooks.maxAgeSeconds,
    }),
    now: () => clock.now(),
  });

  return {
    id,
    channel: 'email',
    provider: 'smtp',
    capabilities,

    handleWebhook,

    async start(started) {
      context = started;
      if (options.listener !== undefined && listener === undefined) {
        listener = await startListener({
          settings: options.listener,
          auth: options.senderAuth,
          receive,
          sink: started.sink,
          onError: (error) => started.logger.error({ adapterId: id, error }, 'smtp listener error'),
        });
      }
    },

    async stop() {
      await listener?.close();
      listener = undefined;
      transport.close();
      context = undefined;
    },

    listenerPort: () => listener?.port(),

    send(envelope: OutboundEnvelope, sendOptions?: SendOptions): Promise<SendResult> {
      return sendEnvelope(
        { adapterId: id, options, capabilities, transport, signer, context: () => context },
        envelope,
        sendOptions?.signal,
      );
    },
  };
}
