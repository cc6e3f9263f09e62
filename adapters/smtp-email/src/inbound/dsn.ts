import type { ParsedMail } from 'mailparser';
import { enhancedStatus } from '../errors';

/**
 * Delivery status notifications (bounces, RFC 3464): a `multipart/report;
 * report-type=delivery-status` message whose `message/delivery-status` part lists, per
 * recipient, the `Action`, `Status` and `Diagnostic-Code`, and whose last part carries the
 * original message or its headers (with our Message-ID).
 * Source: https://www.rfc-editor.org/rfc/rfc3464
 */

/** What a bounce says about one recipient of one of our messages. */
export interface DeliveryReport {
  /** The Message-ID of the message that bounced (ours), when the report carries it. */
  originalMessageId?: string;
  recipient?: string;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded` (RFC 3464 §2.3.3). */
  action: string;
  /** The enhanced status, e.g. `5.1.1`. */
  status?: string;
  /** The remote server's reply code, e.g. `550`, from `Diagnostic-Code: smtp; 550 …`. */
  smtpCode?: number;
  diagnostic?: string;
}

/** RFC 822-style `Field: value` lines with folded continuations, from `start` on. */
function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const field = /^([A-Za-z][A-Za-z-]*):\s*(.*)$/.exec(line);
    if (field) {
      current = (field[1] as string).toLowerCase();
      // A recipient's fields come after the per-message ones; the first recipient wins.
      if (!map.has(current)) map.set(current, (field[2] as string).trim());
      else current = undefined;
    } else if (/^\s+\S/.test(line) && current !== undefined) {
      map.set(current, `${map.get(current)} ${line.trim()}`);
    }
  }
  return map;
}

/** `rfc822; ann@example.com` → `ann@example.com`. */
function typed(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(semicolon + 1)).trim();
}

function originalMessageId(parsed: ParsedMail): string | undefined {
  for (const attachment of parsed.attachments) {
    if (!/^(text\/rfc822-headers|message\/rfc822|message\/global)/i.test(attachment.contentType))
      continue;
    const id = /^Message-ID:\s*(<[^>\s]+>)/im.exec(attachment.content.toString('utf8'))?.[1];
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * The report in a bounce, or `undefined` when the message is not a DSN. mailparser shows the
 * `message/delivery-status` part inline in `text`, so the fields are read from there, starting at
 * the first per-recipient field.
 *
 * @example
 * ```ts
 * readDeliveryReport(await simpleParser(bounce)); // { action: 'failed', status: '5.1.1', smtpCode: 550, … }
 * ```
 */
export function readDeliveryReport(parsed: ParsedMail): DeliveryReport | undefined {
  const type = parsed.headers.get('content-type') as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  if (type?.value?.toLowerCase() !== 'multipart/report') return undefined;
  if (type.params?.['report-type']?.toLowerCase() !== 'delivery-status') return undefined;
  const text = parsed.text ?? '';
  const start = text.search(/^(Final-Recipient|Original-Recipient|Action):/im);
  if (start === -1) return undefined;
  const report = fields(text.slice(start));
  const diagnostic = typed(report.get('diagnostic-code'));
  const code = diagnostic === undefined ? undefined : /\b([245]\d\d)\b/.exec(diagnostic)?.[1];
  const status = report.get('status') ?? enhancedStatus(diagnostic);
  const messageId = originalMessageId(parsed);
  const recipient = typed(report.get('final-recipient') ?? report.get('original-recipient'));
  return {
    action: (report.get('action') ?? 'failed').toLowerCase(),
    ...(messageId === undefined ? {} : { originalMessageId: messageId }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(status === undefined ? {} : { status }),
    ...(code === undefined ? {} : { smtpCode: Number(code) }),
    ...(diagnostic === undefined ? {} : { diagnostic }),
  };
}
