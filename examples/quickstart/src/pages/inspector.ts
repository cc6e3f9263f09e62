import { layout, type NavLink } from './layout';

/** A channel's inspector button, as the page draws it. */
export interface ActionView {
  id: string;
  label: string;
  hint?: string;
}

/** The header the inspector's POSTs carry: a page on another site cannot send it without CORS. */
export const ACTION_HEADER = 'x-threadline-demo';

/**
 * `/inspector`: users, their identities per channel, the one thread across channels, and every
 * delivery with its status history, refreshed every second from `GET /api/state`. Its buttons
 * call the demo's small action API. The script builds DOM nodes with `textContent` only: message
 * text is user input.
 */
export function inspectorPage(actions: readonly ActionView[], nav: readonly NavLink[]): string {
  return layout({
    title: 'Inspector',
    nav,
    head: `<style>
      .bar { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 16px; }
      button { font: inherit; padding: 6px 12px; border-radius: 8px; border: 1px solid #0f766e; background: #0f766e; color: #fff; cursor: pointer; }
      button.secondary { background: #fff; color: #0f766e; }
      button:disabled { opacity: .5; cursor: progress; }
      .card { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 16px; margin-bottom: 20px; }
      .card h2 { margin: 0 0 4px; font-size: 18px; }
      h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #6b7280; margin: 16px 0 6px; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #f1f5f9; vertical-align: top; }
      th { color: #6b7280; font-weight: 500; font-size: 12px; }
      .text { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; max-width: 640px; }
      .badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; background: #e5e7eb; }
      .webchat { background: #dbeafe; } .whatsapp { background: #dcfce7; } .email { background: #ede9fe; } .messenger { background: #e0f2fe; } .instagram { background: #fce7f3; } .sms { background: #ffedd5; } .teams { background: #e0e7ff; }
      .open, .warm { background: #dcfce7; } .closed, .cold { background: #fee2e2; }
      .read, .delivered { background: #dcfce7; } .failed, .expired { background: #fee2e2; } .queued { background: #fef9c3; }
      .muted { color: #6b7280; font-size: 12px; }
      #activity li { margin-bottom: 4px; }
      #result { min-height: 1.5em; }
      #result.refused { color: #991b1b; } #result.ok { color: #065f46; }
      .scroll { overflow-x: auto; }
      .timeline { list-style: none; margin: 0; padding: 0 0 0 14px; border-left: 2px solid #e5e7eb; }
      .timeline li { margin: 0 0 8px; }
      .timeline .day { margin: 12px 0 8px -22px; font-size: 12px; font-weight: 600; color: #6b7280; background: #f8fafc; display: inline-block; padding: 0 6px; }
      .timeline .item { position: relative; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 6px 10px; max-width: 720px; }
      .timeline .item::before { content: ""; position: absolute; left: -21px; top: 12px; width: 10px; height: 10px; border-radius: 50%; background: #9ca3af; }
      .timeline .inbound::before { background: #2563eb; } .timeline .outbound::before { background: #0f766e; }
      .timeline .item .text { white-space: pre-wrap; font-family: inherit; font-size: 13px; max-width: none; overflow-wrap: anywhere; }
      .timeline .held { border-color: #eab308; background: #fefce8; } .timeline .held::before { background: #eab308; }
      .timeline .released { border-color: #86efac; }
      .timeline .new { animation: arrive 5s ease-out; }
      @keyframes arrive { from { background: #fef08a; } to { background: #fff; } }
      .steps { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
      .step { font-size: 11px; padding: 0 6px; border-radius: 999px; background: #f1f5f9; color: #374151; }
      .step + .step::before { content: "→ "; color: #9ca3af; }
      .step.read, .step.delivered { background: #dcfce7; } .step.failed { background: #fee2e2; } .step.queued { background: #fef9c3; }
      details summary { cursor: pointer; color: #0f766e; margin-top: 12px; }
    </style>`,
    body: `<div class="bar">
  <span>Demo clock: <strong id="now">…</strong> <span id="offset" class="muted"></span></span>
  <button id="skip" class="secondary" title="Moves the clock shared by Threadline and the WhatsApp emulator">Skip 25 hours</button>
  <span id="store" class="muted"></span>
</div>
<p class="hint">Each channel has its buttons. WhatsApp: within 24 hours of the user's last WhatsApp
message a proactive text goes straight out; after "Skip 25 hours" the window is closed, so
Threadline holds the text, sends the re-engagement template (<code>reopen_chat</code>) and delivers
the text once the user replies on the phone. Messenger and Instagram are warm-only: refused before
she wrote there, held after 24 hours until she writes again (no template exists). Email has no
window. The reminder job writes on the channel the user last wrote on.</p>
<div id="result" role="status" aria-live="polite"></div>
<div id="users"></div>
<div class="card"><h3>Activity</h3><ol id="activity" class="muted"></ol></div>
<script>
  const ACTION_HEADER = ${JSON.stringify(ACTION_HEADER)};
  const ACTIONS = ${JSON.stringify(actions).replace(/</g, '\\u003c')};
  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  // One time format on the page, the widget's: the visitor's locale, a day, then hours and minutes.
  const time = (iso) => (iso ? day(iso) + ', ' + clock(iso) : '');
  const badge = (text, kind) => h('span', { class: 'badge ' + (kind || text) }, text);

  async function act(button, path) {
    button.disabled = true;
    try {
      const response = await fetch(path, { method: 'POST', headers: { [ACTION_HEADER]: '1' } });
      const body = await response.json().catch(() => ({}));
      const result = document.getElementById('result');
      if (response.ok) {
        result.className = 'ok';
        result.textContent = button.textContent + ': ' + (body.queued ? 'held (queued: true)' : body.status || 'done');
      } else {
        // A typed error: its class name and stable code, as the API threw it.
        result.className = 'refused';
        result.textContent = button.textContent + ' refused: ' + (body.name || 'Error') + (body.code ? ' [' + body.code + ']' : '') + ': ' + (body.error || response.statusText);
      }
    } finally {
      button.disabled = false;
      refresh();
    }
  }
  document.getElementById('skip').addEventListener('click', (event) => act(event.target, '/api/clock/skip'));

  function userCard(user) {
    const buttons = ACTIONS.map((action) => {
      const button = h('button', { 'data-action': action.id, title: action.hint || '' }, action.label);
      button.addEventListener('click', () => act(button, '/api/users/' + encodeURIComponent(user.id) + '/' + action.id));
      return button;
    });
    const reminder = h('button', { class: 'secondary' }, 'Run reminder job now');
    reminder.addEventListener('click', () => act(reminder, '/api/users/' + encodeURIComponent(user.id) + '/reminder'));
    return h('div', { class: 'card' },
      h('h2', {}, (user.displayName || user.id) + ' '),
      h('div', { class: 'muted' }, 'user ' + user.id + (user.phoneNumbers.length ? ' · ' + user.phoneNumbers.join(', ') : '')),
      h('div', { class: 'bar', style: 'margin-top: 12px' }, buttons, reminder),
      h('h3', {}, 'Identities (one per channel address, all pointing at this user)'),
      h('div', { class: 'scroll' }, h('table', {},
        h('tr', {}, h('th', {}, 'channel'), h('th', {}, 'address'), h('th', {}, 'last inbound'), h('th', {}, 'reach'), h('th', {}, 'window')),
        user.identities.map((identity) => h('tr', {},
          h('td', {}, badge(identity.channel)),
          h('td', {}, identity.address),
          h('td', {}, time(identity.lastInboundAt) || '—'),
          h('td', {}, identity.reach ? badge(identity.reach) : h('span', { class: 'muted' }, 'anyone')),
          h('td', {}, identity.window === 'none' ? h('span', { class: 'muted' }, 'no window') :
            [badge(identity.window), ' ', h('span', { class: 'muted' }, identity.windowClosesAt ? (identity.window === 'open' ? 'closes ' : 'closed ') + time(identity.windowClosesAt) : 'never opened')]),
        )))),
      h('h3', {}, 'Timeline: the one thread, every channel (' + user.thread.length + ' entries)'),
      timeline(user),
      h('details', {}, h('summary', {}, 'Every delivery as a table (' + user.deliveries.length + ')'),
      h('h3', {}, 'Deliveries (newest first) and their status history'),
      h('div', { class: 'scroll' }, h('table', {},
        h('tr', {}, h('th', {}, 'created'), h('th', {}, 'channel'), h('th', {}, 'origin'), h('th', {}, 'message'), h('th', {}, 'status'), h('th', {}, 'history')),
        user.deliveries.map((delivery) => h('tr', {},
          h('td', { class: 'muted' }, time(delivery.createdAt)),
          h('td', {}, badge(delivery.channel)),
          h('td', {}, delivery.origin + (delivery.held ? ' (held)' : '')),
          h('td', { class: 'text' }, delivery.summary),
          h('td', {}, badge(delivery.status), delivery.error ? h('div', { class: 'muted' }, delivery.error) : null),
          h('td', { class: 'muted' }, delivery.events.map((event) => event.status + ' ' + clock(event.at) + ' (' + event.source + ')').join(' → ')),
        ))))),
    );
  }

  // The timeline: entries in thread order, each delivery's status steps inline, held texts at the
  // end, a separator per day, the latest TIMELINE_VISIBLE shown, new items highlighted for 5 s.
  const TIMELINE_VISIBLE = 25;
  const firstSeen = new Map();
  let expanded = false;
  const day = (iso) => new Date(iso).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) : '');
  function isNew(key) {
    if (!firstSeen.has(key)) firstSeen.set(key, loaded ? Date.now() : 0);
    return Date.now() - firstSeen.get(key) < 5000;
  }
  function timeline(user) {
    const byId = new Map(user.deliveries.map((delivery) => [delivery.id, delivery]));
    const items = user.thread.map((entry) => ({ key: 'e' + entry.seq, at: entry.at, entry, delivery: byId.get(entry.deliveryId) }));
    // A held text has no thread entry until it is released.
    for (const delivery of user.deliveries)
      if (delivery.held && delivery.status === 'queued') items.push({ key: 'h' + delivery.id, at: delivery.createdAt, held: delivery });
    const hidden = expanded ? 0 : Math.max(0, items.length - TIMELINE_VISIBLE);
    const list = h('ol', { class: 'timeline' });
    if (hidden) list.append(h('li', { class: 'more' }, h('button', { class: 'secondary', onclick: () => { expanded = true; refresh(); } }, 'Show ' + hidden + ' earlier')));
    // Thread order is the truth; a provider's own timestamp can lag the skipped demo clock (Teams
    // runs on real time), so a separator marks only a day later than any shown before.
    let latest = '';
    for (const item of items.slice(hidden)) {
      if (item.at > latest) {
        if (day(item.at) !== (latest && day(latest))) list.append(h('li', { class: 'day' }, day(item.at)));
        latest = item.at;
      }
      const fresh = isNew(item.key) ? ' new' : '';
      if (item.held) {
        list.append(h('li', { class: 'item held' + fresh, 'data-key': item.key },
          h('div', { class: 'head' }, badge(item.held.channel), ' held until Ann writes ', h('span', { class: 'muted' }, clock(item.at))),
          h('div', { class: 'text' }, item.held.summary)));
        continue;
      }
      const { entry, delivery } = item;
      const who = entry.direction === 'inbound' ? 'Ann' : entry.direction === 'outbound' ? 'agent' : entry.direction;
      list.append(h('li', { class: 'item ' + entry.direction + fresh + (delivery && delivery.held ? ' released' : ''), 'data-key': item.key },
        h('div', { class: 'head' }, entry.channel ? badge(entry.channel) : '', ' ', h('strong', {}, who), ' ', h('span', { class: 'muted' }, clock(entry.at) + ' · #' + entry.seq)),
        h('div', { class: 'text', title: entry.text }, entry.summary),
        delivery ? h('div', { class: 'steps' },
          delivery.events.map((event) => h('span', { class: 'step ' + event.status, title: event.source + ' at ' + event.at }, event.status)),
          delivery.held ? h('span', { class: 'badge queued' }, 'was held, released') : null,
          delivery.error ? h('span', { class: 'muted' }, ' ' + delivery.error) : null) : null));
    }
    return list;
  }
  let loaded = false;

  async function refresh() {
    const response = await fetch('/api/state');
    if (!response.ok) return;
    const state = await response.json();
    document.getElementById('now').textContent = time(state.now);
    const offset = document.getElementById('offset');
    offset.textContent = state.clockOffsetHours ? '+' + state.clockOffsetHours + ' h skipped' : 'real time';
    offset.className = state.clockOffsetHours ? 'badge queued' : 'muted';
    document.getElementById('store').textContent = 'Store: ' + state.store;
    document.getElementById('users').replaceChildren(...state.users.map(userCard));
    loaded = true;
    document.getElementById('activity').replaceChildren(...state.activity.map((item) =>
      h('li', {}, time(item.at) + '  ' + item.text)));
  }
  refresh();
  setInterval(refresh, 1000);
</script>`,
  });
}
