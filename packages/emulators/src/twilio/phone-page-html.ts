import { escapeHtml } from '../whatsapp/phone-page-html';

/**
 * The SMS phone page: a plain messaging app's view of one number's conversation with the
 * account, a box to text in (STOP, START, HELP included), and a switch that makes the next
 * message to this phone fail at the carrier. Live through `/phone/events` (server-sent events).
 */

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#e5e5ea;display:flex;justify-content:center}
body>.phone{width:100%;max-width:420px;height:100vh;display:flex;flex-direction:column;background:#fff}
header{background:#f6f6f6;border-bottom:1px solid #ddd;padding:8px 12px;display:flex;align-items:center;gap:10px}header b{display:block}header small{color:#8e8e93}
header .who{flex:1;min-width:0;text-align:center}a.back{color:#007aff;text-decoration:none;font-size:26px;line-height:1;padding:0 4px}a.back[hidden]{display:none}
.avatar{flex:none;width:36px;height:36px;border-radius:50%;background:#a4a4ac;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:14px}
.clock-badge{flex:none;background:#fde68a;color:#78350f;border-radius:999px;padding:2px 8px;font-size:12px;font-weight:600}.clock-badge[hidden]{display:none}
.day{align-self:center;color:#8e8e93;font-size:12px;margin:6px 0 2px}
#messages{flex:1;overflow-y:auto;padding:10px 12px;display:flex;flex-direction:column;gap:6px}
.bubble{max-width:80%;padding:7px 11px;border-radius:16px;background:#e9e9eb;align-self:flex-start;white-space:pre-wrap;word-wrap:break-word}
.bubble.phone{background:#34c759;color:#fff;align-self:flex-end}.bubble.auto{background:#f2f2f7;color:#3a3a3c;font-style:italic}
.bubble.undelivered{background:#fde2e1;border:1px dashed #c0392b}
.meta{font-size:11px;color:#8e8e93;margin-top:2px}.bubble.phone .meta{color:#e8ffe8}
form{display:flex;flex-wrap:wrap;gap:6px;padding:8px;background:#f6f6f6;border-top:1px solid #ddd}form input{flex:1;min-width:0;border:1px solid #ccc;border-radius:18px;padding:8px 12px;font:inherit}
form button,form select{border:0;border-radius:18px;padding:0 12px;background:#34c759;color:#fff;font:inherit;cursor:pointer}form select{background:#fff;color:#333;border:1px solid #ccc;flex-basis:100%;padding:6px 12px}
.pick{padding:12px}.pick ul{list-style:none;margin:0 0 12px;padding:0;display:flex;flex-direction:column;gap:6px}.pick li a{display:block;background:#f2f2f7;border-radius:12px;padding:10px 12px;color:#000;text-decoration:none}
`;

const SCRIPT = `
const list = document.getElementById('messages');
const clockBadge = document.getElementById('clock');
const back = document.querySelector('a.back');
// Embedded in another page (a demo's panel), the page around it has the way back.
if (back && window.top !== window) back.hidden = true;
/** Skips shorter than this are clock drift, not a skip worth a badge; polled this often. */
const SKIP_BADGE_MS = 60000, CLOCK_POLL_MS = 1000;
// One format everywhere: "Thu 3 Dec" for days, "14:05" for times.
const day = (ms) => new Date(ms).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
const time = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dates = {};
function separateDays() {
  list.querySelectorAll('.day').forEach((node) => node.remove());
  let last = '';
  for (const node of [...list.children]) {
    const at = dates[node.id]; if (at === undefined) continue;
    const label = day(at);
    if (label !== last) list.insertBefore(Object.assign(document.createElement('div'), { className: 'day', textContent: label }), node);
    last = label;
  }
}
function showClock(now) {
  const skew = now - Date.now(), hours = Math.round(skew / 3600000);
  clockBadge.hidden = skew < SKIP_BADGE_MS;
  clockBadge.textContent = 'clock +' + (hours >= 1 ? hours + ' h' : Math.round(skew / 60000) + ' min');
}
setInterval(() => fetch('/phone/clock').then((r) => r.ok ? r.json() : undefined).then((d) => d && showClock(d.now)).catch(() => {}), CLOCK_POLL_MS);
fetch('/phone/clock').then((r) => r.json()).then((d) => showClock(d.now)).catch(() => {});
const label = (m) => m.direction === 'inbound' ? '' : m.status + (m.errorCode ? ' · error ' + m.errorCode : '');
function draw(m) {
  let el = document.getElementById(m.sid);
  if (!el) { el = document.createElement('div'); el.id = m.sid; list.appendChild(el); }
  el.className = 'bubble' + (m.direction === 'inbound' ? ' phone' : '') + (m.direction === 'outbound-reply' ? ' auto' : '') + (m.status === 'undelivered' || m.status === 'failed' ? ' undelivered' : '');
  el.textContent = m.body + (m.mediaUrls.length ? '\\n' + m.mediaUrls.join('\\n') : '');
  dates[m.sid] = m.dateCreated;
  const meta = document.createElement('div'); meta.className = 'meta'; meta.textContent = [time(m.dateCreated), label(m)].filter(Boolean).join(' · '); el.appendChild(meta);
  separateDays();
  list.scrollTop = list.scrollHeight;
}
const events = new EventSource('/phone/events?number=' + encodeURIComponent(PHONE.number));
events.addEventListener('snapshot', (e) => { list.innerHTML = ''; JSON.parse(e.data).forEach(draw); document.getElementById('status').textContent = PHONE.number; });
events.addEventListener('message-update', (e) => draw(JSON.parse(e.data)));
document.getElementById('compose').addEventListener('submit', async (e) => {
  e.preventDefault(); const input = document.getElementById('text'); const text = input.value.trim(); if (!text) return; input.value = '';
  await fetch('/phone/send?number=' + encodeURIComponent(PHONE.number), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
});
document.getElementById('fail').addEventListener('change', async (e) => {
  const code = Number(e.target.value); if (!code) return; e.target.value = '';
  await fetch('/phone/fail?number=' + encodeURIComponent(PHONE.number), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
});
`;

/** The page of one phone. */
export function smsPhonePageHtml(page: {
  number: string;
  account: string;
  businessName?: string;
  homeUrl?: string;
}): string {
  const title = page.businessName ?? page.account;
  const initials = title
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, '')[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const json = JSON.stringify({ number: page.number }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.number)} · SMS emulator</title><style>${STYLE}</style></head>
<body><div class="phone">
<header><a class="back" href="${escapeHtml(page.homeUrl ?? '/phone')}" target="_top" aria-label="Back">‹</a><span class="avatar" aria-hidden="true">${escapeHtml(initials || '#')}</span>
<div class="who"><b>${escapeHtml(title)}</b><small id="status">${escapeHtml(page.number)} · connecting…</small></div>
<span class="clock-badge" id="clock" hidden></span></header>
<div id="messages" aria-live="polite"></div>
<form id="compose" autocomplete="off">
<select id="fail" title="Make the next message to this phone fail at the carrier" aria-label="Carrier failure">
<option value="">✓ carrier ok</option><option value="30003">30003 unreachable</option><option value="30005">30005 unknown handset</option>
<option value="30006">30006 landline</option><option value="30007">30007 filtered</option><option value="30008">30008 unknown</option></select>
<input id="text" placeholder="Text message (try STOP)" aria-label="Text message">
<button type="submit" title="Send">Send</button>
</form></div>
<script>const PHONE = ${json};
${SCRIPT}</script></body></html>`;
}

/** `/phone` without a number: the phones the emulator knows and a box for a new one. */
export function smsPickerPageHtml(phones: readonly string[]): string {
  const items = phones
    .map((n) => `<li><a href="/phone?number=${encodeURIComponent(n)}">${escapeHtml(n)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>SMS emulator · phones</title><style>${STYLE}</style></head>
<body><div class="phone"><header><div class="who"><b>SMS emulator</b><small>Pick a phone</small></div></header>
<div class="pick"><ul>${items || '<li>No phone has texted or been texted yet.</li>'}</ul>
<form action="/phone" method="get"><input name="number" placeholder="+15558675310" aria-label="Phone number"><button type="submit">Open</button></form>
</div></div></body></html>`;
}
