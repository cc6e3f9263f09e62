import { createHash } from 'node:crypto';
import type { AdapterContext, EmitReceipt, EventSink, JsonObject } from '@threadline/core';
import { smtpErrorRule } from '../errors';
import type { SenderVerdict } from './authenticate';
import type { DeliveryReport } from './dsn';
import type { InboundMail } from './mail';
import { attachmentsToMedia, type SaveAttachment } from './media';
import { newReplyText } from './reply-text';
import { matchThread } from './thread-match';

/**
 * The one inbound path every transport ends in: a bounce becomes a `failed` status (and, when the
 * address does not exist, a suppression); a sender that fails authentication is reported and not
 * recorded; an auto-reply is reported and does not wake the agent; anything else is the user's
 * message, matched to its thread, with only the new text and its attachments as media.
 */

/** What receiving needs from the adapter. */
export interface ReceiveDeps {
  adapterId: string;
  context: () => AdapterContext | undefined;
  linkSecret: string | undefined;
  attachments: { save?: SaveAttachment; inlineMaxBytes: number };
  now: () => number;
}

/** What became of one email. */
export type ReceiveOutcome = 'recorded' | 'duplicate' | 'status' | 'untrusted' | 'ignored';

const base = (adapterId: string) => ({ adapterId, channel: 'email' as const });

/** The Message-ID, or a stable stand-in from the content so a resend still dedupes. */
function messageIdOf(mail: InboundMail): string {
  if (mail.messageId !== undefined) return mail.messageId;
  const digest = createHash('sha256')
    .update(`${mail.from?.address}\n${mail.subject}\n${mail.date?.toISOString()}\n${mail.text}`)
    .digest('hex')
    .slice(0, 32);
  return `<generated.${digest}@threadline>`;
}

async function bounce(
  deps: ReceiveDeps,
  sink: EventSink,
  report: DeliveryReport,
): Promise<ReceiveOutcome> {
  const timestamp = new Date(deps.now());
  if (report.action !== 'failed' || report.originalMessageId === undefined) {
    await sink.emit({
      ...base(deps.adapterId),
      type: 'unsupported',
      reason: `delivery report (${report.action}) that fails no message of ours`,
      raw: { ...report } as JsonObject,
      timestamp,
    });
    return 'ignored';
  }
  const rule = smtpErrorRule(report.smtpCode, `${report.status ?? ''} ${report.diagnostic ?? ''}`);
  const category = rule?.category ?? 'unknown';
  await sink.emit({
    ...base(deps.adapterId),
    type: 'status',
    providerMessageId: report.originalMessageId,
    status: 'failed',
    timestamp,
    ...(report.recipient === undefined ? {} : { address: report.recipient }),
    error: {
      category,
      providerCode: String(report.smtpCode ?? report.status ?? 'bounce'),
      ...(rule === undefined ? {} : { title: rule.title }),
      ...(report.diagnostic === undefined ? {} : { detail: report.diagnostic }),
    },
  });
  // A mailbox that does not exist stays so: suppress it, as mail providers require of senders.
  if (category === 'unreachable' && report.recipient !== undefined) {
    await sink.emit({
      ...base(deps.adapterId),
      type: 'opt-out',
      from: { address: report.recipient },
      timestamp,
      keyword: `bounce ${report.status ?? report.smtpCode ?? ''}`.trim(),
    });
  }
  return 'status';
}

/**
 * Emits what one email means. `verdict` is the sender authentication result (the SMTP listener's
 * mailauth run, or the provider's).
 *
 * @example
 * ```ts
 * await receiveMail(deps, sink, fromParsedMail(parsed), verdict); // 'recorded'
 * ```
 */
export async function receiveMail(
  deps: ReceiveDeps,
  sink: EventSink,
  mail: InboundMail,
  verdict: SenderVerdict,
): Promise<ReceiveOutcome> {
  const timestamp = mail.date ?? new Date(deps.now());
  const providerMessageId = messageIdOf(mail);
  const from = mail.from;
  if (from === undefined || !verdict.trusted) {
    await sink.emit({
      ...base(deps.adapterId),
      type: 'unsupported',
      reason:
        from === undefined
          ? 'email without a From address'
          : `sender authentication failed: ${verdict.reason}`,
      ...(from === undefined ? {} : { from: { address: from.address } }),
      providerMessageId,
      raw: { subject: mail.subject ?? null, auth: verdict.summary, to: mail.to },
      timestamp,
    });
    return 'untrusted';
  }
  // After the sender check: a forged bounce must not fail a delivery or suppress an address.
  if (mail.report !== undefined) return bounce(deps, sink, mail.report);
  if (mail.autoSubmitted !== undefined && mail.autoSubmitted.toLowerCase() !== 'no') {
    await sink.emit({
      ...base(deps.adapterId),
      type: 'unsupported',
      reason: `automatic reply (Auto-Submitted: ${mail.autoSubmitted})`,
      from: { address: from.address },
      providerMessageId,
      raw: { subject: mail.subject ?? null, text: mail.text.slice(0, 2_000) },
      timestamp,
    });
    return 'ignored';
  }
  const match = await matchThread(deps.context(), {
    adapterId: deps.adapterId,
    mail,
    linkSecret: deps.linkSecret,
  });
  const media = await attachmentsToMedia(mail.attachments, deps.attachments);
  const receipt: EmitReceipt = await sink.emit({
    ...base(deps.adapterId),
    type: 'message',
    ...(match.userId === undefined ? {} : { userId: match.userId }),
    message: {
      providerMessageId,
      from: {
        address: from.address,
        ...(from.name === undefined ? {} : { displayName: from.name }),
      },
      timestamp,
      text: newReplyText(mail.text),
      ...(mail.subject === undefined ? {} : { subject: mail.subject }),
      ...(mail.inReplyTo === undefined ? {} : { replyTo: mail.inReplyTo }),
      ...(media.length === 0 ? {} : { media }),
      metadata: {
        references: mail.references,
        matchedBy: match.matchedBy,
        auth: verdict.summary,
        ...(match.conflictingUserId === undefined
          ? {}
          : { conflictingUserId: match.conflictingUserId }),
      },
    },
  });
  return receipt.duplicate ? 'duplicate' : 'recorded';
}
