import EmailReplyParser from 'email-reply-parser';

/**
 * The new text of a reply, without the quoted history and the signature. `email-reply-parser`
 * (Crisp's maintained port of GitHub's parser) recognises Gmail's `On … wrote:`, Outlook's
 * `From:/Sent:` header block and `-----Original Message-----`, Apple Mail's quoted `On …, at …`,
 * `>` quoting, `-- ` signatures and "Sent from my iPhone" in many languages; the tests pin each
 * style. It works on text, so an HTML-only email is first reduced to text by mailparser.
 * Source: https://github.com/crisp-oss/email-reply-parser
 */

/**
 * @example
 * ```ts
 * newReplyText('Yes!\n\nOn Tue, Dec 1, 2026 at 3:04 PM Acme <a@acme.example> wrote:\n> Thursday?');
 * // 'Yes!'
 * ```
 */
export function newReplyText(text: string): string {
  const visible = new EmailReplyParser().parseReply(text).trim();
  // A message that is only a quote (a forward with no comment) keeps its text rather than vanish.
  return visible === '' ? text.trim() : visible;
}
