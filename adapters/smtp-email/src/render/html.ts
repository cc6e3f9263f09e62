/**
 * The few HTML pieces every email part is built from: escaping, the agent's text as paragraphs,
 * and the document shell. Email clients ignore `<style>` blocks unevenly, so styles are inline.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"Tom" & Jerry</b>'); // '&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] as string);
}

/** Only web links become `href`s: a `javascript:` URL in an agent's text must stay text. */
export function safeHref(url: string): string | undefined {
  return /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;
const BOLD = /\*\*([^*\n]+)\*\*/g;

/** One line: escaped, `**bold**` kept as bold, bare URLs made clickable. */
function inline(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const url = match[0];
    html += escapeHtml(line.slice(last, match.index)).replace(BOLD, '<strong>$1</strong>');
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = (match.index ?? 0) + url.length;
  }
  return html + escapeHtml(line.slice(last)).replace(BOLD, '<strong>$1</strong>');
}

/**
 * The agent's text as HTML paragraphs: a blank line starts a paragraph, a newline breaks a line.
 *
 * @example
 * ```ts
 * textToHtml('Hi **Ann**\nsee https://x.example'); // '<p>Hi <strong>Ann</strong><br>see <a …>…</a></p>'
 * ```
 */
export function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map(
      (paragraph) =>
        `<p style="margin:0 0 12px">${paragraph.split('\n').map(inline).join('<br>')}</p>`,
    )
    .join('\n');
}

/** A whole HTML document around the rendered body. */
export function htmlDocument(body: string, footer?: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">',
    body,
    footer === undefined
      ? ''
      : `<div class="tl-footer" style="margin:24px 0 0;font-size:12px;color:#6e7781">${footer}</div>`,
    '</body></html>',
  ].join('\n');
}
