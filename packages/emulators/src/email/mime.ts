import { createTransport } from 'nodemailer';

/**
 * Builds the MIME the emulator sends back: a reply as mail clients write one (Gmail-style quoted
 * history, `Re:` subject, `In-Reply-To` and `References`), and a DSN bounce (RFC 3464).
 */

/** What the emulator keeps of one received email. */
export interface ReceivedEmail {
  messageId: string;
  from: string;
  /** Where a reply goes: `Reply-To`, else `From`. */
  replyTo: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  references: string[];
  /** The SMTP envelope sender (bounces go there). */
  envelopeFrom: string;
  receivedAt: number;
  bounced?: boolean;
}

const composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

async function build(mail: Parameters<typeof composer.sendMail>[0]): Promise<Buffer> {
  const info = (await composer.sendMail(mail)) as unknown as { message: Buffer };
  return info.message;
}

function quoted(original: ReceivedEmail): string {
  const date = new Date(original.receivedAt).toUTCString();
  const lines = original.text.split(/\r?\n/).map((line) => `> ${line}`.trimEnd());
  return `On ${date} ${original.from} wrote:\n\n${lines.join('\n')}`;
}

/**
 * A reply from `from` to `original`, with the quoted history a mail client adds.
 *
 * @example
 * ```ts
 * const raw = await buildReply({ from: 'ann@example.com', original, text: 'Yes please', messageId: '<r1@example.com>' });
 * ```
 */
export async function buildReply(input: {
  from: string;
  original: ReceivedEmail;
  text: string;
  messageId: string;
  date: Date;
}): Promise<Buffer> {
  const { original } = input;
  const subject = /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`;
  return build({
    from: input.from,
    to: original.replyTo,
    subject,
    messageId: input.messageId,
    date: input.date,
    inReplyTo: original.messageId,
    references: [...original.references, original.messageId],
    text: `${input.text}\n\n${quoted(original)}\n`,
  });
}

/**
 * A hard bounce (`550 5.1.1`) for `original`, from the emulator's mail server.
 * Source: https://www.rfc-editor.org/rfc/rfc3464
 */
export async function buildBounce(input: {
  serverName: string;
  original: ReceivedEmail;
  recipient: string;
  messageId: string;
  date: Date;
}): Promise<Buffer> {
  const { original, recipient, serverName } = input;
  const status = [
    `Reporting-MTA: dns; ${serverName}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`,
    '',
  ].join('\r\n');
  const headers = [
    `From: ${original.from}`,
    `To: ${recipient}`,
    `Subject: ${original.subject}`,
    `Message-ID: ${original.messageId}`,
    '',
  ].join('\r\n');
  const boundary = `bounce-${input.messageId.replace(/[^a-z0-9]/gi, '')}`;
  const text = [
    `From: Mail Delivery Subsystem <MAILER-DAEMON@${serverName}>`,
    `To: ${original.envelopeFrom || original.from}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${input.messageId}`,
    `Date: ${input.date.toUTCString()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain',
    '',
    `Your message to ${recipient} could not be delivered: the mailbox does not exist.`,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    status,
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headers,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from(text);
}
