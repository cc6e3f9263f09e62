import { escapeHtml, htmlDocument } from '../render/html';

/**
 * The small pages a person sees after clicking a link in an email. Plain HTML, no scripts, so
 * they work in every browser and in the in-app browsers of mail clients.
 */

/** A page with a heading, a line of text and, optionally, one button that POSTs back. */
export function page(
  status: number,
  input: { title: string; text: string; button?: { label: string; action: string } },
): Response {
  const form =
    input.button === undefined
      ? ''
      : `<form method="post" action="${escapeHtml(input.button.action)}"><button type="submit" style="padding:10px 18px;border:0;border-radius:6px;background:#0969da;color:#fff;font-size:15px">${escapeHtml(input.button.label)}</button></form>`;
  const body = `<h1 style="font-size:20px">${escapeHtml(input.title)}</h1><p>${escapeHtml(input.text)}</p>${form}`;
  return new Response(htmlDocument(body), {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page carries a signed link in its form: keep it out of caches and referrers.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}
