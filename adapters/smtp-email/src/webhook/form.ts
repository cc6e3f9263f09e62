import { simpleParser } from 'mailparser';
import { fromParsedMail, type InboundMail, type MailAttachment } from '../inbound/mail';

/**
 * Helpers shared by the form-posting providers (SendGrid, Mailgun): reading files from a form,
 * and reading the message's own headers with mailparser rather than by hand.
 */

/** Every file field of a form whose name starts with `prefix` (`attachment1`, `attachment-2`…). */
export async function formFiles(form: FormData, prefix: string): Promise<MailAttachment[]> {
  const files: MailAttachment[] = [];
  for (const [name, value] of form.entries()) {
    if (!name.startsWith(prefix) || typeof value === 'string') continue;
    files.push({
      ...(value.name ? { filename: value.name } : {}),
      contentType: value.type || 'application/octet-stream',
      content: Buffer.from(await value.arrayBuffer()),
    });
  }
  return files;
}

/** A form field as a string, or `undefined`. */
export function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * An email from its header block and bodies as a provider posts them separately: the headers go
 * through mailparser (addresses, Message-ID, In-Reply-To, References, dates), the bodies are taken
 * as given.
 */
export async function mailFromParts(input: {
  headers: string;
  text?: string;
  html?: string;
  to?: string[];
  attachments: MailAttachment[];
}): Promise<InboundMail> {
  const parsed = await simpleParser(`${input.headers.replace(/\r?\n$/, '')}\r\n\r\n`);
  const mail = fromParsedMail(parsed, input.to ?? []);
  return {
    ...mail,
    text: input.text ?? '',
    ...(input.html === undefined || input.html === '' ? {} : { html: input.html }),
    attachments: input.attachments,
  };
}

/** `[["Name","value"], …]` or `[{Name, Value}]` → a header block. */
export function headerBlock(pairs: Array<[string, string]>): string {
  return pairs.map(([name, value]) => `${name}: ${value.replace(/\r?\n/g, ' ')}`).join('\r\n');
}
