// One escaping rule for every emulator page (the WhatsApp phone page's).
import { escapeHtml } from '../whatsapp/phone-page-html';
import type { ReceivedEmail } from './mime';

/**
 * The inbox page of one demo user: every email the app sent them, newest first, its HTML shown
 * in a sandboxed frame (no scripts), with a reply box and a bounce button. Plain forms, no script.
 */

/** A mail client's look: a title bar, cards, rounded fields and buttons; it fits a phone's width. */
const STYLE = `*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:760px;margin:0 auto;padding:12px;color:#1f2328;background:#fff}
header{display:flex;align-items:center;gap:12px;margin:0 0 12px;flex-wrap:wrap}h1{font-size:18px;margin:0;flex:1;min-width:0;overflow-wrap:anywhere}
article{background:#fff}textarea{width:100%;font:inherit;border:1px solid #d0d7de;border-radius:8px;padding:8px}
button,a.button{font:inherit;border:1px solid #0969da;background:#0969da;color:#fff;border-radius:8px;padding:5px 12px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,a.button.secondary{background:#fff;color:#0969da}button:disabled{opacity:.5;cursor:default}`;

function message(address: string, mail: ReceivedEmail): string {
  const base = `/inbox/${encodeURIComponent(address)}`;
  const body =
    mail.html === undefined
      ? `<pre style="white-space:pre-wrap">${escapeHtml(mail.text)}</pre>`
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(mail.html)}" style="width:100%;height:320px;border:1px solid #d0d7de;border-radius:6px"></iframe>`;
  return `<article style="border:1px solid #d0d7de;border-radius:8px;padding:12px;margin:0 0 16px">
<div><strong>${escapeHtml(mail.subject)}</strong>${mail.bounced ? ' <em>(bounced)</em>' : ''}</div>
<div style="color:#57606a;font-size:13px">From ${escapeHtml(mail.from)} · ${escapeHtml(mail.messageId)}</div>
${body}
<form method="post" action="${base}/reply" style="margin-top:8px">
<input type="hidden" name="messageId" value="${escapeHtml(mail.messageId)}">
<textarea name="text" rows="3" placeholder="Write a reply…" aria-label="Reply" required></textarea>
<button type="submit">Reply</button>
</form>
<form method="post" action="${base}/bounce" style="margin-top:4px">
<input type="hidden" name="messageId" value="${escapeHtml(mail.messageId)}">
<button type="submit" class="secondary"${mail.bounced ? ' disabled' : ''}>Bounce this message</button>
</form>
</article>`;
}

/** The whole page. */
export function inboxPage(address: string, mails: readonly ReceivedEmail[]): string {
  const list =
    mails.length === 0
      ? '<p>No mail yet.</p>'
      : [...mails]
          .reverse()
          .map((mail) => message(address, mail))
          .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Inbox of ${escapeHtml(address)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>Inbox of ${escapeHtml(address)}</h1><a class="button secondary" href="">Refresh</a></header>
${list}
</body></html>`;
}
