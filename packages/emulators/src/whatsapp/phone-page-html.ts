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
header{background:#075e54;color:#fff;padding:8px 12px;display:flex;align-items:center;gap:10px}header b{display:block;font-size:16px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}header small{opacity:.85;display:block}
header .who{flex:1;min-width:0}a.back{color:#fff;text-decoration:none;font-size:26px;line-height:1;padding:0 4px}a.back[hidden]{display:none}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;background:#dfe5e7;color:#075e54;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:15px}
.clock-badge{flex:none;background:#fde68a;color:#78350f;border-radius:999px;padding:2px 8px;font-size:12px;font-weight:600}.clock-badge[hidden]{display:none}
.day{align-self:center;background:#e1f2fb;color:#54656f;border-radius:8px;padding:3px 10px;font-size:12px;margin:4px 0;box-shadow:0 1px .5px rgba(0,0,0,.13)}
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
img.media{width:260px;max-width:100%;height:auto;border-radius:6px;display:block}.doc{background:#f0f2f5;padding:6px;border-radius:6px}
.reaction{align-self:center;font-size:12px;color:#667781}.badge{font-size:14px;margin-left:4px}
#typing{padding:0 14px 4px;font-size:12px;color:#667781;min-height:18px}
form{display:flex;gap:6px;padding:8px;background:#f0f2f5}form input{flex:1;border:0;border-radius:18px;padding:9px 14px;font:inherit}
form button{border:0;border-radius:50%;width:40px;height:40px;background:#008069;color:#fff;font-size:17px;cursor:pointer}
form button.alt{background:#fff;color:#54656f}
.pick{padding:12px;flex:1;overflow-y:auto}.pick ul{list-style:none;margin:0 0 12px;padding:0;display:flex;flex-direction:column;gap:6px}
.pick li a{display:flex;gap:10px;align-items:center;background:#fff;border-radius:8px;padding:8px 10px;color:#111b21;text-decoration:none;box-shadow:0 1px .5px rgba(0,0,0,.13)}
.pick li a:hover{background:#f5f6f6}.pick li span.empty{color:#667781}.pick form{border-radius:8px}
`;

/** Initials for an avatar, as phones draw them: "Tea room" → "TR", "Ann" → "A", "+15550783881" → "1". */
function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.map((word) => [...word][0] ?? '').join('');
  return (letters || '?').slice(0, 2).toUpperCase();
}

/** The back arrow: to `homeUrl` (the whole window, when the phone is embedded), else the picker. */
function backLink(homeUrl: string | undefined, label: string): string {
  return `<a class="back" href="${escapeHtml(homeUrl ?? '/phone')}" target="_top" aria-label="${escapeHtml(label)}">‹</a>`;
}

/**
 * The chat page for one person: their view of the conversation with the business, a box to
 * write in, and taps on buttons and list rows. It loads its state from `/phone/events`.
 *
 * @example
 * ```ts
 * phonePageHtml({ waId: '447700900123', name: 'Ann', businessName: 'Threadline demo' });
 * ```
 */
export function phonePageHtml(page: {
  waId: string;
  name: string;
  businessName: string;
  homeUrl?: string;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.name)} · WhatsApp emulator</title><style>${STYLE}</style></head>
<body><div class="phone">
<header>${backLink(page.homeUrl, page.homeUrl === undefined ? 'All phones' : 'Back')}<span class="avatar" aria-hidden="true">${escapeHtml(initials(page.businessName))}</span>
<div class="who"><b>${escapeHtml(page.businessName)}</b><small id="status">+${escapeHtml(page.waId)} (${escapeHtml(page.name)}) · connecting…</small></div>
<span class="clock-badge" id="clock" hidden></span></header>
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
export function pickerPageHtml(
  people: ReadonlyArray<{ waId: string; name: string }>,
  homeUrl?: string,
): string {
  const items = people
    .map(
      (p) =>
        `<li><a href="/phone?number=%2B${escapeHtml(p.waId)}"><span class="avatar" aria-hidden="true">${escapeHtml(initials(p.name))}</span><span><b>${escapeHtml(p.name)}</b><br><small>+${escapeHtml(p.waId)}</small></span></a></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>WhatsApp emulator · phones</title><style>${STYLE}</style></head>
<body><div class="phone"><header>${homeUrl === undefined ? '' : backLink(homeUrl, 'Back')}<div class="who"><b>WhatsApp emulator</b><small>Pick a phone</small></div></header>
<div class="pick"><ul>${items || '<li><span class="empty">Nobody has written or been written to yet.</span></li>'}</ul>
<form action="/phone" method="get"><input name="number" placeholder="+447700900123" aria-label="Phone number"><button type="submit">➤</button></form>
</div></div></body></html>`;
}
