/**
 * A Teams-like chat page for one person: install or remove the app, write, and press card
 * buttons. Plain HTML and a small script polling `GET /api/chat`; no build step.
 */
export function chatPageHtml(name: string): string {
  const who = JSON.stringify(name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Teams emulator: ${name.replace(/[<>&"]/g, '')}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;display:flex;flex-direction:column;height:100vh}
header{background:#464775;color:#fff;padding:10px 16px;display:flex;gap:8px;align-items:center}
header span{flex:1}#chat{flex:1;overflow:auto;padding:16px}
.m{max-width:70%;margin:6px 0;padding:8px 12px;border-radius:6px;background:#fff;white-space:pre-wrap}
.person{margin-left:auto;background:#e8ebfa}.card{border:1px solid #ccc;padding:8px;margin-top:6px;border-radius:4px}
*{box-sizing:border-box}header{flex-wrap:wrap}header span{min-width:0}
button{font:inherit;border:1px solid #5b5fc7;background:#5b5fc7;color:#fff;border-radius:6px;padding:5px 12px;cursor:pointer}
header button{background:#fff;color:#464775;border-color:#fff}.card button{margin:4px 4px 0 0;background:#fff;color:#5b5fc7}
form{display:flex;padding:8px;gap:8px;background:#fff;border-top:1px solid #e1e1e1}input{flex:1;min-width:0;padding:8px;font:inherit;border:1px solid #d1d1d1;border-radius:6px}
.typing{color:#777;font-style:italic}
</style></head><body>
<header><span>Teams · <b id="who"></b> <small id="state"></small></span>
<button id="install">Install app</button><button id="uninstall">Remove app</button></header>
<div id="chat"></div>
<form id="f"><input id="t" placeholder="Type a message" autocomplete="off"><button>Send</button></form>
<script>
const name = ${who};
document.getElementById('who').textContent = name;
const api = (path, body) => fetch('/api/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, ...body }) });
document.getElementById('install').onclick = () => api('install', {}).then(load);
document.getElementById('uninstall').onclick = () => api('uninstall', {}).then(load);
document.getElementById('f').onsubmit = (e) => { e.preventDefault(); const t = document.getElementById('t'); if (t.value) api('write', { text: t.value }).then(load); t.value = ''; };
function text(node, value) { const el = document.createElement('div'); el.textContent = value; node.appendChild(el); return el; }
function card(node, entry, content) {
  const box = document.createElement('div'); box.className = 'card'; node.appendChild(box);
  const walk = (items) => (items || []).forEach((item) => {
    if (item.type === 'TextBlock') text(box, item.text).style.fontWeight = item.weight === 'Bolder' ? 'bold' : '';
    if (item.type === 'Container') walk(item.items);
    if (item.type === 'Image') { const img = document.createElement('img'); img.src = item.url; img.alt = item.altText || ''; img.style.maxWidth = '120px'; box.appendChild(img); }
    if (item.type === 'ImageSet') walk(item.images);
  });
  walk(content.body);
  (content.actions || []).forEach((action, index) => {
    const b = document.createElement('button'); b.textContent = action.title; box.appendChild(b);
    b.onclick = () => action.type === 'Action.OpenUrl' ? window.open(action.url) : api('tap', { activityId: entry.id, card: content === entry.cards[0] ? 0 : entry.cards.indexOf(content), action: index }).then(load);
  });
}
async function load() {
  const state = await (await fetch('/api/chat?name=' + encodeURIComponent(name))).json();
  document.getElementById('state').textContent = state.installed ? '(app installed)' : '(app not installed)';
  const chat = document.getElementById('chat'); chat.innerHTML = '';
  for (const entry of state.chat) {
    const m = document.createElement('div'); m.className = 'm ' + entry.from; chat.appendChild(m);
    if (entry.type === 'typing') { m.className += ' typing'; m.textContent = entry.text || 'typing…'; continue; }
    if (entry.text) text(m, entry.text);
    entry.cards.forEach((content) => card(m, entry, content));
  }
  chat.scrollTop = chat.scrollHeight;
}
load(); setInterval(load, 1000);
</script></body></html>`;
}
