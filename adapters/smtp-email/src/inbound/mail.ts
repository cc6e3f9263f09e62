import type { AddressObject, ParsedMail } from 'mailparser';
import { type DeliveryReport, readDeliveryReport } from './dsn';

/**
 * One received email, whichever way it came (the SMTP listener, a provider's inbound-parse
 * webhook, a raw MIME POST), in the shape the rest of the inbound path reads.
 */

/** An attachment as received. */
export interface MailAttachment {
  filename?: string;
  contentType: string;
  content: Buffer;
}

/** A received email, normalised. Addresses are as sent: the core normalises them. */
export interface InboundMail {
  messageId?: string;
  from?: { address: string; name?: string };
  /** Envelope and header recipients (plus-address tokens are read from these). */
  to: string[];
  subject?: string;
  date?: Date;
  inReplyTo?: string;
  references: string[];
  text: string;
  html?: string;
  attachments: MailAttachment[];
  /** `Auto-Submitted` (RFC 3834): vacation replies must not wake the agent. */
  autoSubmitted?: string;
  /** A delivery status notification (a bounce), when the message is one. */
  report?: DeliveryReport;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((object) =>
    object.value.flatMap((entry) => (entry.address === undefined ? [] : [entry.address])),
  );
}

/** `<a@x> <b@y>` or an array of them → the ids, brackets kept (as Message-ID has them). */
export function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return text.match(/<[^<>\s]+>/g) ?? [];
}

/**
 * mailparser's result → {@link InboundMail}, with the envelope recipients added to `to` (a Bcc
 * or a forwarding alias is only in the envelope).
 *
 * @example
 * ```ts
 * const mail = fromParsedMail(await simpleParser(raw), ['agent@acme.example']);
 * ```
 */
export function fromParsedMail(parsed: ParsedMail, envelopeTo: string[] = []): InboundMail {
  const sender = parsed.from?.value[0];
  const autoSubmitted = parsed.headers.get('auto-submitted');
  const report = readDeliveryReport(parsed);
  return {
    ...(parsed.messageId === undefined ? {} : { messageId: parsed.messageId }),
    ...(sender?.address === undefined
      ? {}
      : {
          from: {
            address: sender.address,
            ...(sender.name === undefined || sender.name === '' ? {} : { name: sender.name }),
          },
        }),
    to: [...new Set([...envelopeTo, ...addresses(parsed.to), ...addresses(parsed.cc)])],
    ...(parsed.subject === undefined ? {} : { subject: parsed.subject }),
    ...(parsed.date === undefined ? {} : { date: parsed.date }),
    ...(parsed.inReplyTo === undefined
      ? {}
      : { inReplyTo: messageIds(parsed.inReplyTo)[0] ?? parsed.inReplyTo }),
    references: messageIds(parsed.references),
    text: parsed.text ?? '',
    ...(parsed.html === false ? {} : { html: parsed.html }),
    attachments: report
      ? []
      : parsed.attachments.map((attachment) => ({
          ...(attachment.filename === undefined ? {} : { filename: attachment.filename }),
          contentType: attachment.contentType,
          content: attachment.content,
        })),
    ...(typeof autoSubmitted === 'string' ? { autoSubmitted } : {}),
    ...(report === undefined ? {} : { report }),
  };
}
