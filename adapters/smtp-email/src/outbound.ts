import {
  type ActionsPart,
  type AdapterContext,
  abortError,
  type Capabilities,
  type OutboundEnvelope,
  type SendResult,
} from '@threadline/core';
import type { SendMailOptions } from 'nodemailer';
import type { LinkSigner } from './links';
import { threadReplyAddress, UNSUBSCRIBE_TTL_SECONDS } from './links';
import type { ResolvedSmtpEmailOptions } from './options';
import { renderEmail } from './render/message';
import type { MailTransport } from './send';
import { replySubject, subjectFromText, type ThreadHeaders, threadHeaders } from './thread-headers';

/**
 * One envelope → one email: threading headers from the thread, signed action and unsubscribe
 * links, both bodies, attachments, then the transport. The Message-ID is derived from the
 * delivery id, so a retry of the same delivery carries the same id and receivers dedupe it.
 */

/** The RFC 8058 header value that makes `List-Unsubscribe` one-click. */
export const LIST_UNSUBSCRIBE_POST = 'List-Unsubscribe=One-Click';

/** What sending needs from the adapter. */
export interface OutboundDeps {
  adapterId: string;
  options: ResolvedSmtpEmailOptions;
  capabilities: Capabilities;
  transport: MailTransport;
  signer: LinkSigner | undefined;
  /** The context `start` received (store access for threading), once started. */
  context: () => AdapterContext | undefined;
}

/** The domain of an address or `"Name <address>"`. */
export function domainOf(address: string): string {
  const bare = /<([^>]+)>/.exec(address)?.[1] ?? address;
  return bare.slice(bare.lastIndexOf('@') + 1).trim();
}

/** `<d_123@acme.example>`: one per delivery, stable across its retries. */
export function messageIdFor(deliveryId: string, domain: string): string {
  return `<${deliveryId.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}>`;
}

function actionLabels(envelope: OutboundEnvelope): string[] {
  return (envelope.parts ?? [])
    .filter((part): part is ActionsPart => part.type === 'actions')
    .flatMap((part) => part.actions.map((action) => action.label));
}

async function links(
  deps: OutboundDeps,
  envelope: OutboundEnvelope,
): Promise<{ actionHref?: (label: string) => string; unsubscribeUrl?: string }> {
  const { signer, options } = deps;
  if (signer === undefined || options.publicUrl === undefined) return {};
  const address = envelope.to.address;
  const hrefs = new Map<string, string>();
  for (const label of actionLabels(envelope)) {
    const token = await signer.sign(
      { kind: 'action', address, label, deliveryId: envelope.deliveryId },
      options.linkTtlSeconds,
    );
    hrefs.set(label, `${options.publicUrl}/action?t=${token}`);
  }
  const unsubscribe = await signer.sign({ kind: 'unsubscribe', address }, UNSUBSCRIBE_TTL_SECONDS);
  return {
    actionHref: (label) => hrefs.get(label) ?? `${options.publicUrl}/action`,
    unsubscribeUrl: `${options.publicUrl}/unsubscribe?t=${unsubscribe}`,
  };
}

async function headersFor(deps: OutboundDeps, envelope: OutboundEnvelope): Promise<ThreadHeaders> {
  const context = deps.context();
  const fromThread =
    context === undefined
      ? { references: [] }
      : await threadHeaders(context.store, {
          adapterId: deps.adapterId,
          agentId: context.agentId,
          envelope,
        });
  const email = envelope.email;
  if (email?.inReplyTo === undefined) return fromThread;
  return {
    ...fromThread,
    inReplyTo: email.inReplyTo,
    references: email.references ?? [...fromThread.references, email.inReplyTo],
  };
}

/**
 * Builds and sends the email for one envelope.
 *
 * @example
 * ```ts
 * const result = await sendEnvelope(deps, { deliveryId: 'd1', to: { address: 'ann@example.com' }, text: 'Hi' });
 * result.providerMessageId; // '<d1@acme.example>'
 * ```
 */
export async function sendEnvelope(
  deps: OutboundDeps,
  envelope: OutboundEnvelope,
  signal?: AbortSignal,
): Promise<SendResult> {
  const { options } = deps;
  const thread = await headersFor(deps, envelope);
  const link = await links(deps, envelope);
  const bodies = renderEmail(envelope, {
    capabilities: deps.capabilities,
    ...link,
  });
  const subject =
    envelope.email?.subject ??
    (thread.subject === undefined ? subjectFromText(envelope.text) : replySubject(thread.subject));
  const messageId = messageIdFor(envelope.deliveryId, domainOf(options.from));
  const plus =
    options.replyAddress !== undefined && options.linkSecret !== undefined && thread.threadId
      ? threadReplyAddress(options.replyAddress, thread.threadId, options.linkSecret)
      : undefined;
  const replyTo = plus ?? options.replyTo;
  const attachments = [
    ...(envelope.email?.attachments ?? []).map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      path: file.url,
    })),
    ...(envelope.media ?? []).flatMap((media) =>
      media.url === undefined
        ? []
        : [
            {
              path: media.url,
              ...(media.filename === undefined ? {} : { filename: media.filename }),
              ...(media.mimeType === undefined ? {} : { contentType: media.mimeType }),
            },
          ],
    ),
  ];
  const mail: SendMailOptions = {
    from: options.from,
    to: envelope.to.address,
    ...(envelope.email?.cc === undefined ? {} : { cc: envelope.email.cc }),
    ...(envelope.email?.bcc === undefined ? {} : { bcc: envelope.email.bcc }),
    ...(replyTo === undefined ? {} : { replyTo }),
    subject,
    text: bodies.text,
    html: bodies.html,
    messageId,
    ...(thread.inReplyTo === undefined ? {} : { inReplyTo: thread.inReplyTo }),
    ...(thread.references.length === 0 ? {} : { references: thread.references }),
    ...(attachments.length === 0 ? {} : { attachments }),
    headers: {
      'X-Threadline-Delivery': envelope.deliveryId,
      ...(link.unsubscribeUrl === undefined
        ? {}
        : {
            'List-Unsubscribe': `<${link.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': LIST_UNSUBSCRIBE_POST,
          }),
    },
  };
  // nodemailer's `sendMail` takes no signal, and closing a pooled connection mid-DATA would fail
  // other messages on it: an aborted send is stopped before the SMTP dialogue, not during it.
  if (signal?.aborted) throw abortError(signal);
  await deps.transport.send(mail);
  // Accepted by the next server is as far as SMTP reports: `sent`. Bounces arrive later.
  return { providerMessageId: messageId, status: 'sent' };
}
