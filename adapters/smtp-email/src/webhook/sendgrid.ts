import { simpleParser } from 'mailparser';
import { judge, type SenderVerdict, verdictFromResults } from '../inbound/authenticate';
import { fromParsedMail, type InboundMail } from '../inbound/mail';
import { field, formFiles, mailFromParts } from './form';

/**
 * SendGrid Inbound Parse posts `multipart/form-data`: `headers` (the raw header block), `text`,
 * `html`, `from`, `to`, `subject`, `envelope` (JSON `{to, from}`), `SPF`, `dkim`
 * (`{@example.com : pass}`), `attachmentN` files; or, in raw mode, the whole message as `email`.
 * Source: https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook
 */

function dkimResult(value: string | undefined): string {
  // `{@example.com : pass}` (one entry per signature): any pass is a pass.
  if (value === undefined) return 'none';
  if (/:\s*pass\b/i.test(value)) return 'pass';
  return /:\s*fail\b/i.test(value) ? 'fail' : 'none';
}

/**
 * @example
 * ```ts
 * const { mail, verdict } = await parseSendGrid(await request.formData());
 * ```
 */
export async function parseSendGrid(
  form: FormData,
): Promise<{ mail: InboundMail; verdict: SenderVerdict }> {
  const envelope = JSON.parse(field(form, 'envelope') ?? '{}') as { to?: string[] };
  const raw = field(form, 'email');
  const mail =
    raw !== undefined
      ? fromParsedMail(await simpleParser(raw), envelope.to ?? [])
      : await mailFromParts({
          headers: field(form, 'headers') ?? '',
          ...(field(form, 'text') === undefined ? {} : { text: field(form, 'text') }),
          ...(field(form, 'html') === undefined ? {} : { html: field(form, 'html') }),
          to: envelope.to ?? [],
          attachments: await formFiles(form, 'attachment'),
        });
  const results = /^Authentication-Results:\s*(.+)$/im.exec(
    field(form, 'headers') ?? raw ?? '',
  )?.[1];
  const verdict =
    results !== undefined
      ? verdictFromResults(results)
      : judge({
          spf: (field(form, 'SPF') ?? 'none').toLowerCase(),
          dkim: dkimResult(field(form, 'dkim')),
          dmarc: 'none',
        });
  return { mail, verdict };
}
