import { DEMO_USER } from '../config';
import { layout, type NavLink, type PanelView } from './layout';

/** Where the page gets the widget script (served by the demo, see `widget.ts`). */
export const WIDGET_PATH = '/assets/threadline-chat.js';

/**
 * The `<threadline-chat>` element, as a host page embeds it: the token comes from the host's own
 * endpoint (here `/chat-token`, which stands in for "after your login"), and the widget asks again
 * whenever a token expires.
 */
const widget = (height: string) => `
<script src="${WIDGET_PATH}"></script>
<script>
  const chat = document.createElement('threadline-chat');
  chat.token = () => fetch('/chat-token').then((response) => response.json()).then((body) => body.token);
  chat.setAttribute('heading', 'Tea room · web chat');
  // The thread's messages from every other channel show here too, live, with a channel badge.
  chat.setAttribute('show-channels', '');
  chat.setAttribute('placeholder', 'Write as ${DEMO_USER.displayName}…');
  chat.style.setProperty('--threadline-height', '${height}');
  chat.style.setProperty('--threadline-accent', '#0f766e');
  // Set the token before the URL: the widget connects as soon as it has a URL and is in the page.
  chat.setAttribute('url', (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/webchat');
  document.getElementById('chat').append(chat);
</script>`;

const TRY = `<p class="hint">You are <strong>${DEMO_USER.displayName}</strong> (user <code>${DEMO_USER.id}</code>) on every
channel. Say <em>hi</em> here, then <em>what did I say?</em> from the phone: one user, one thread.
Ask for <em>the menu</em>, <em>a photo</em> or <em>a reminder</em>. The
<a href="/inspector">inspector</a> sends proactive messages (WhatsApp, email, Messenger, Instagram)
and skips 25 hours so the windows close. What Ann says and is sent on the other channels shows here
too, as it happens, with the channel's badge.</p>`;

/**
 * The guided tour: numbered steps that tick themselves off from `GET /api/state` (the step's trace
 * in the thread or the deliveries), the next one highlighted. Built with `textContent` only.
 * Refreshed as soon as the web chat on this page shows a message (its step ticks while the
 * visitor looks at it, not at the next timer), and every 2 s for the steps done in the channel
 * panels. One request at a time: on a busy machine `/api/state` can take longer than the timer,
 * and an older answer landing after a newer one would untick a step.
 */
const TOUR = `<section class="tour-box" aria-labelledby="tour-title">
  <h2 id="tour-title">Guided tour <span id="tour-count" class="muted"></span> <span id="tour-clock" class="muted"></span></h2>
  <ol id="tour" class="tour"></ol>
</section>
<script>
  let tourLoading = false;
  let tourStale = false;
  async function refreshTour() {
    if (tourLoading) {
      tourStale = true;
      return;
    }
    tourLoading = true;
    try {
      do {
        tourStale = false;
        await loadTour();
      } while (tourStale);
    } finally {
      tourLoading = false;
    }
  }
  async function loadTour() {
    const response = await fetch('/api/state').catch(() => undefined);
    if (!response || !response.ok) return;
    const { tour, clockOffsetHours } = await response.json();
    // The shared clock, as the phones and the inspector see it.
    document.getElementById('tour-clock').textContent = clockOffsetHours ? '· clock +' + clockOffsetHours + ' h skipped' : '';
    const next = tour.find((step) => !step.done);
    document.getElementById('tour').replaceChildren(...tour.map((step) => {
      const item = document.createElement('li');
      item.dataset.step = step.id;
      item.className = step.done ? 'done' : step === next ? 'current' : '';
      if (step.done) item.setAttribute('aria-label', 'done: ' + step.label);
      item.textContent = step.label;
      return item;
    }));
    document.getElementById('tour-count').textContent =
      tour.filter((step) => step.done).length + ' of ' + tour.length + ' done';
  }
  refreshTour();
  setInterval(refreshTour, 2000);
  // The widget's client exists once it connects (a new one after a restart). Its statechange
  // does not bubble: caught on the way down (capture).
  const watchedClients = new WeakSet();
  document.addEventListener('statechange', (event) => {
    const client = event.target.client;
    if (event.detail.state !== 'open' || !client || watchedClients.has(client)) return;
    watchedClients.add(client);
    client.on('messages', refreshTour);
  }, true);
</script>`;

const TOUR_CSS = `
  .tour-box { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 12px 16px; margin-bottom: 16px; }
  .tour-box h2 { margin: 0 0 8px; }
  .tour { display: flex; flex-wrap: wrap; gap: 6px 8px; margin: 0; padding: 0; list-style: none; counter-reset: step; }
  .tour li { counter-increment: step; padding: 4px 10px; border-radius: 999px; background: #f1f5f9; color: #374151; font-size: 13px; }
  .tour li::before { content: counter(step) ". "; font-weight: 600; }
  .tour li.done { background: #dcfce7; color: #065f46; }
  .tour li.done::before { content: "✓ "; }
  .tour li.current { background: #0f766e; color: #fff; }
  .muted { color: #6b7280; font-weight: 400; text-transform: none; letter-spacing: 0; }`;

/** `/`: the web chat and a panel per channel (the page standing in for Ann's device). */
export function homePage(panels: readonly PanelView[], nav: readonly NavLink[]): string {
  const frames = panels
    .filter((panel) => panel.pagePath)
    .map(
      (
        panel,
      ) => `  <section class="panel" id="panel-${panel.name}" data-channel="${panel.name}"><h2>${panel.caption}</h2>
    <iframe title="Ann on ${panel.title}" src="${panel.pagePath}"></iframe></section>`,
    )
    .join('\n');
  return layout({
    title: 'All channels',
    nav,
    head: `<style>
      .channels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); gap: 20px; align-items: start; }
      .panel { min-width: 0; }
      iframe { width: 100%; height: 640px; border: 1px solid #e5e7eb; border-radius: 12px; background: #fff; }
      h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #6b7280; margin: 0 0 8px; }
      ${TOUR_CSS}
    </style>`,
    body: `${TRY}
${TOUR}
<div class="channels">
  <section class="panel" id="panel-webchat" data-channel="webchat"><h2>Web chat</h2><div id="chat"></div></section>
${frames}
</div>
${widget('640px')}`,
  });
}

/** `/chat`: the web chat alone. */
export function chatPage(nav: readonly NavLink[]): string {
  return layout({
    title: 'Web chat',
    nav,
    body: `${TRY}<div id="chat" style="max-width: 640px"></div>${widget('620px')}`,
  });
}
