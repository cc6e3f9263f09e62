import { z } from 'zod';
import { judge, type SenderVerdict, verdictFromResults } from '../inbound/authenticate';
import type { InboundMail } from '../inbound/mail';
import { headerBlock, mailFromParts } from './form';

/**
 * Postmark's inbound webhook posts JSON: `FromFull`, `ToFull[]`, `Subject`, `Date`,
 * `MailboxHash`, `MessageID` (Postmark's own id; the real `Message-ID` is in `Headers`),
 * `TextBody`, `HtmlBody`, `Headers[{Name, Value}]` (with `Received-SPF` and, when present,
 * `Authentication-Results`) and `Attachments[{Name, Content (base64), ContentType}]`.
 * Source: https://postmarkapp.com/developer/webhooks/inbound-webhook
 */

/** The fields the adapter reads, validated (anything else Postmark sends is ignored). */
export const PostmarkInboundSchema = z.object({
  From: z.string(),
  FromName: z.string().optional(),
  ToFull: z.array(z.object({ Email: z.string() })).default([]),
  CcFull: z.array(z.object({ Email: z.string() })).default([]),
  Subject: z.string().default(''),
  Date: z.string().optional(),
  MessageID: z.string(),
  TextBody: z.string().default(''),
  HtmlBody: z.string().default(''),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]),
  Attachments: z
    .array(z.object({ Name: z.string(), Content: z.string(), ContentType: z.string() }))
    .default([]),
});

/**
 * @example
 * ```ts
 * const { mail, verdict } = await parsePostmark(PostmarkInboundSchema.parse(json));
 * ```
 */
export async function parsePostmark(
  payload: z.infer<typeof PostmarkInboundSchema>,
): Promise<{ mail: InboundMail; verdict: SenderVerdict }> {
  const pairs: Array<[string, string]> = [
    ['From', payload.FromName ? `"${payload.FromName}" <${payload.From}>` : payload.From],
    ['Subject', payload.Subject],
    ...(payload.Date === undefined ? [] : [['Date', payload.Date] as [string, string]]),
    ...payload.Headers.filter((header) => !/^(from|subject|date)$/i.test(header.Name)).map(
      (header) => [header.Name, header.Value] as [string, string],
    ),
  ];
  const mail = await mailFromParts({
    headers: headerBlock(pairs),
    text: payload.TextBody,
    html: payload.HtmlBody,
    to: [...payload.ToFull, ...payload.CcFull].map((entry) => entry.Email),
    attachments: payload.Attachments.map((file) => ({
      filename: file.Name,
      contentType: file.ContentType,
      content: Buffer.from(file.Content, 'base64'),
    })),
  });
  const header = (name: string) =>
    payload.Headers.find((entry) => entry.Name.toLowerCase() === name)?.Value;
  const results = header('authentication-results');
  const spf = /^\s*(pass|fail|softfail|neutral|none)/i.exec(header('received-spf') ?? '')?.[1];
  const verdict =
    results !== undefined
      ? verdictFromResults(results)
      : judge({ spf: (spf ?? 'none').toLowerCase(), dkim: 'none', dmarc: 'none' });
  return {
    mail:
      mail.messageId === undefined
        ? { ...mail, messageId: `<${payload.MessageID}@postmark>` }
        : mail,
    verdict,
  };
}
