// One escaping rule for every emulator page (the WhatsApp phone page's).
import { escapeHtml } from '../whatsapp/phone-page-html';
import type { ReceivedEmail } from './mime';

/**
 * The inbox page of one demo user: every email the app sent them, newest first, its HTML shown
 * in a sandboxed frame (no scripts), with a reply box and a bounce button. Plain forms, no script.
 */

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
<textarea name="text" rows="3" style="width:100%" placeholder="Write a reply…" required></textarea>
<button type="submit">Reply</button>
</form>
<form method="post" action="${base}/bounce" style="margin-top:4px">
<input type="hidden" name="messageId" value="${escapeHtml(mail.messageId)}">
<button type="submit"${mail.bounced ? ' disabled' : ''}>Bounce this message</button>
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
  return `<!doctype html><html><head><meta charset="utf-8"><title>Inbox of ${escapeHtml(address)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;max-width:760px;margin:24px auto">
<h1 style="font-size:20px">Inbox of ${escapeHtml(address)} <a href="" style="font-size:14px">Refresh</a></h1>
${list}
</body></html>`;
}
