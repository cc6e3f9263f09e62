import type { MetaPlatform } from './state';

/**
 * The Messenger- and Instagram-like pages: a list of people (with a button to add one) and a
 * chat view that shows what the business sent (quick replies as buttons, templates as cards)
 * live over Server-Sent Events, and sends what you type as that person.
 */

const THEME: Record<MetaPlatform, { title: string; accent: string }> = {
  messenger: { title: 'Messenger', accent: '#0866ff' },
  instagram: { title: 'Instagram', accent: '#d62976' },
};

/** The composer of both pages: a rounded field and a button in the platform's colour. */
const FORM_CSS = `form{display:flex;gap:.5rem;padding:.5rem;background:#f0f2f5}
form input{flex:1;min-width:0;border:1px solid #ddd;border-radius:1.2rem;padding:.55rem .9rem;font:inherit}
form button{border:0;border-radius:1.2rem;padding:.55rem 1rem;font:inherit;font-weight:600;background:#0866ff;color:#fff;cursor:pointer}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The list of people writing to this inbox. */
export function pickerHtml(
  platform: MetaPlatform,
  people: Array<{ id: string; name: string }>,
): string {
  const { title, accent } = THEME[platform];
  const items = people
    .map(
      (p) =>
        `<li><a href="/${platform}?id=${p.id}">${escapeHtml(p.name)}</a> <small>${p.id}</small></li>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title} emulator</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box}body{font-family:system-ui;margin:0 auto;padding:1rem;max-width:40rem}h1{color:${accent};font-size:1.4rem}
ul{list-style:none;margin:0 0 1rem;padding:0;display:flex;flex-direction:column;gap:.4rem}li{background:#f0f2f5;border-radius:.75rem;padding:.6rem .9rem}
li a{color:#050505;font-weight:600;text-decoration:none}li small{color:#65676b;margin-left:.4rem}
${FORM_CSS}</style></head><body>
<h1>${title}</h1><ul>${items || '<li>Nobody has written yet.</li>'}</ul>
<form method="post" action="/${platform}/people"><input name="name" placeholder="Name" aria-label="Name" required> <button>New person</button></form>
</body></html>`;
}

/** One person's chat. */
export function chatHtml(platform: MetaPlatform, person: { id: string; name: string }): string {
  const { title, accent } = THEME[platform];
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(person.name)} · ${title}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box}body{font-family:system-ui;margin:0;display:flex;flex-direction:column;height:100vh}
header{background:${accent};color:#fff;padding:.75rem 1rem}#log{flex:1;overflow:auto;padding:1rem}
.m{max-width:70%;margin:.3rem 0;padding:.5rem .75rem;border-radius:1rem;white-space:pre-wrap}
.person{background:${accent};color:#fff;margin-left:auto}.business{background:#eee}
.inbox{background:#ffe9b3}.tag{font-size:.7rem;opacity:.7}button.q{margin:.2rem;border:1px solid ${accent};border-radius:1rem;background:#fff}
${FORM_CSS}#window{font-size:.8rem;opacity:.9}</style></head><body>
<header>${escapeHtml(person.name)} <small>${person.id}</small> <span id="window"></span></header>
<div id="log"></div>
<form id="f"><input id="t" autocomplete="off" placeholder="Message" aria-label="Message"><button>Send</button></form>
<script>
const id=${JSON.stringify(person.id)},base='/${platform}';const log=document.getElementById('log');
const post=(b)=>fetch(base+'/send?id='+id,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(b)});
function show(e){const d=document.createElement('div');d.className='m '+e.side+(e.author==='inbox'?' inbox':'');
const m=e.message||{};const a=m.attachment;let text=e.text||'';
if(a&&a.type==='template'){const p=a.payload;text=p.template_type==='button'?p.text+'\\n'+p.buttons.map(b=>'['+b.title+']').join(' '):p.elements.map(x=>'▸ '+x.title+(x.subtitle?' — '+x.subtitle:'')).join('\\n');}
else if(a){text='['+a.type+'] '+(a.payload.url||a.payload.attachment_id||'');}
d.textContent=text;if(e.tag){const t=document.createElement('div');t.className='tag';t.textContent='tag: '+e.tag;d.append(t);}
(m.quick_replies||[]).forEach(q=>{const b=document.createElement('button');b.className='q';b.textContent=q.title;b.onclick=()=>post({tap:q.title});d.append(b);});
log.append(d);log.scrollTop=log.scrollHeight;}
const es=new EventSource(base+'/events?id='+id);
es.addEventListener('snapshot',ev=>{const s=JSON.parse(ev.data);log.innerHTML='';s.entries.forEach(show);win(s.window);});
es.addEventListener('entry',ev=>{const s=JSON.parse(ev.data);show(s.entry);win(s.window);});
function win(at){const d=new Date(at);document.getElementById('window').textContent=at?'window open until '+d.toLocaleDateString([],{weekday:'short',day:'numeric',month:'short'})+' '+d.toLocaleTimeString([],{hour:'2-digit',minute:'2-digit',hourCycle:'h23'}):'window closed';}
document.getElementById('f').onsubmit=(ev)=>{ev.preventDefault();const t=document.getElementById('t');if(t.value){post({text:t.value});t.value='';}};
</script></body></html>`;
}
