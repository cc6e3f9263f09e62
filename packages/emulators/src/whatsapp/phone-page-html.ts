import { PHONE_PAGE_SCRIPT } from './phone-page-script';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a `<script>` element (no `</script>` break-out). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

// Inline and self-contained: the page must work offline and from a test, with no asset server.
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#d1d7db;display:flex;justify-content:center}
.phone{width:100%;max-width:420px;height:100vh;display:flex;flex-direction:column;background:#efeae2}
header{background:#075e54;color:#fff;padding:10px 14px}header b{display:block;font-size:16px}header small{opacity:.85}
#messages{flex:1;overflow-y:auto;padding:10px 12px;display:flex;flex-direction:column;gap:6px}
.bubble{max-width:85%;padding:6px 9px 4px;border-radius:8px;box-shadow:0 1px .5px rgba(0,0,0,.13);background:#fff;align-self:flex-start;word-wrap:break-word;white-space:pre-wrap}
.bubble.person{background:#d9fdd3;align-self:flex-end}.bubble.refused,.bubble.failed{background:#fde2e1;border:1px dashed #c0392b}
.hdr{font-weight:600;margin-bottom:3px}.ftr{color:#667781;font-size:13px;margin-top:3px}
.tpl{font-size:12px;color:#075e54;background:#e7f3f1;border-radius:4px;padding:1px 5px;display:inline-block;margin-bottom:3px}
.meta{font-size:11px;color:#667781;text-align:right;margin-top:2px;white-space:nowrap}.meta .ticks.read{color:#53bdeb}
.err{color:#c0392b;font-size:12px;font-weight:600;margin-top:3px}
.quote{border-left:3px solid #06cf9c;background:rgba(0,0,0,.05);padding:2px 6px;font-size:12px;color:#667781;margin-bottom:3px;border-radius:3px}
.actions{display:flex;flex-direction:column;gap:4px;margin-top:6px}
.actions button,.rows button{background:#fff;border:1px solid #d1d7db;color:#008069;border-radius:6px;padding:6px;font:inherit;cursor:pointer}
.actions button:hover,.rows button:hover{background:#f0f2f5}
.rows{display:none;flex-direction:column;gap:3px;margin-top:4px}.rows.open{display:flex}.rows small{color:#667781;display:block}
.section{font-size:12px;color:#667781;margin-top:4px}
img.media{max-width:100%;border-radius:6px;display:block}.doc{background:#f0f2f5;padding:6px;border-radius:6px}
.reaction{align-self:center;font-size:12px;color:#667781}.badge{font-size:14px;margin-left:4px}
#typing{padding:0 14px 4px;font-size:12px;color:#667781;min-height:18px}
form{display:flex;gap:6px;padding:8px;background:#f0f2f5}form input{flex:1;border:0;border-radius:18px;padding:9px 14px;font:inherit}
form button{border:0;border-radius:50%;width:40px;height:40px;background:#008069;color:#fff;font-size:17px;cursor:pointer}
form button.alt{background:#fff;color:#54656f}
`;

/**
 * The chat page for one person: their view of the conversation with the business, a box to
 * write in, and taps on buttons and list rows. It loads its state from `/phone/events`.
 *
 * @example
 * ```ts
 * phonePageHtml({ waId: '447700900123', name: 'Ann', businessName: 'Threadline demo' });
 * ```
 */
export function phonePageHtml(page: { waId: string; name: string; businessName: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.name)} · WhatsApp emulator</title><style>${STYLE}</style></head>
<body><div class="phone">
<header><b>${escapeHtml(page.businessName)}</b><small id="status">+${escapeHtml(page.waId)} (${escapeHtml(page.name)}) · connecting…</small></header>
<div id="messages" aria-live="polite"></div>
<div id="typing"></div>
<form id="compose" autocomplete="off">
<button type="button" class="alt" id="photo" title="Send a photo">📷</button>
<input id="text" placeholder="Message" aria-label="Message">
<button type="submit" title="Send">➤</button>
</form></div>
<script>const PHONE = ${scriptJson({ waId: page.waId })};
${PHONE_PAGE_SCRIPT}</script></body></html>`;
}

/** The page at `/phone` without a number: the people the emulator knows, and a box for a new one. */
export function pickerPageHtml(people: ReadonlyArray<{ waId: string; name: string }>): string {
  const items = people
    .map(
      (p) =>
        `<li><a href="/phone?number=%2B${escapeHtml(p.waId)}">${escapeHtml(p.name)} · +${escapeHtml(p.waId)}</a></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>WhatsApp emulator · phones</title><style>${STYLE} .pick{padding:16px}.pick li{margin:6px 0}</style></head>
<body><div class="phone"><header><b>WhatsApp emulator</b><small>Pick a phone</small></header>
<div class="pick"><ul>${items || '<li>Nobody has written or been written to yet.</li>'}</ul>
<form action="/phone" method="get"><input name="number" placeholder="+447700900123" aria-label="Phone number"><button type="submit">➤</button></form>
</div></div></body></html>`;
}
