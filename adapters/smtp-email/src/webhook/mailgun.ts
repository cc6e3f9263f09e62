import { judge, type SenderVerdict, verdictFromResults } from '../inbound/authenticate';
import type { InboundMail } from '../inbound/mail';
import { field, formFiles, headerBlock, mailFromParts } from './form';

/**
 * Mailgun routes `forward()` posts: `sender`, `recipient`, `body-plain`, `body-html`,
 * `message-headers` (a JSON list of `[name, value]`), `attachment-N` files, and the signature
 * fields `timestamp`, `token`, `signature`. Mailgun's verdicts arrive as `X-Mailgun-Spf` and
 * `X-Mailgun-Dkim-Check-Result` headers (and `Authentication-Results` when present).
 * Source: https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http
 */

function headerValue(pairs: Array<[string, string]>, name: string): string | undefined {
  return pairs.find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * @example
 * ```ts
 * const { mail, verdict } = await parseMailgun(await request.formData());
 * ```
 */
export async function parseMailgun(
  form: FormData,
): Promise<{ mail: InboundMail; verdict: SenderVerdict }> {
  const pairs = JSON.parse(field(form, 'message-headers') ?? '[]') as Array<[string, string]>;
  const recipient = field(form, 'recipient');
  const mail = await mailFromParts({
    headers: headerBlock(pairs),
    ...(field(form, 'body-plain') === undefined ? {} : { text: field(form, 'body-plain') }),
    ...(field(form, 'body-html') === undefined ? {} : { html: field(form, 'body-html') }),
    to: recipient === undefined ? [] : recipient.split(',').map((entry) => entry.trim()),
    attachments: await formFiles(form, 'attachment-'),
  });
  const results = headerValue(pairs, 'authentication-results');
  const verdict =
    results !== undefined
      ? verdictFromResults(results)
      : judge({
          spf: (headerValue(pairs, 'x-mailgun-spf') ?? 'none').toLowerCase(),
          dkim: (headerValue(pairs, 'x-mailgun-dkim-check-result') ?? 'none').toLowerCase(),
          dmarc: 'none',
        });
  return { mail, verdict };
}
