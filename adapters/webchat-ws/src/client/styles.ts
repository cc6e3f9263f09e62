/**
 * The widget's styles, scoped by its shadow root. Everything a host may want to change is a CSS
 * custom property on the element (they inherit through the shadow boundary), documented in the
 * README: `threadline-chat { --threadline-accent: #0a7; }`. Parts are also exposed for `::part()`.
 */
export const WIDGET_CSS = `
:host {
  --_accent: var(--threadline-accent, #2563eb);
  --_accent-fg: var(--threadline-accent-fg, #ffffff);
  --_bg: var(--threadline-bg, #ffffff);
  --_fg: var(--threadline-fg, #111827);
  --_muted: var(--threadline-muted, #6b7280);
  --_border: var(--threadline-border, #e5e7eb);
  --_agent-bg: var(--threadline-agent-bubble, #f3f4f6);
  --_agent-fg: var(--threadline-agent-fg, var(--_fg));
  --_user-bg: var(--threadline-user-bubble, var(--_accent));
  --_user-fg: var(--threadline-user-fg, var(--_accent-fg));
  --_radius: var(--threadline-radius, 12px);
  display: flex;
  flex-direction: column;
  box-sizing: border-box;
  width: var(--threadline-width, 100%);
  height: var(--threadline-height, 520px);
  font: var(--threadline-font, 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif);
  color: var(--_fg);
  background: var(--_bg);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  overflow: hidden;
}
*, *::before, *::after { box-sizing: inherit; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
header {
  display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 10px 14px; border-bottom: 1px solid var(--_border);
}
header h2 { margin: 0; font-size: 1em; font-weight: 600; }
.state { font-size: 0.8em; color: var(--_muted); display: flex; align-items: center; gap: 6px; }
.state::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: #9ca3af; }
:host([data-state='open']) .state::before { background: #16a34a; }
:host([data-state='reconnecting']) .state::before,
:host([data-state='connecting']) .state::before { background: #f59e0b; }
:host([data-state='unauthorized']) .state::before,
:host([data-state='too-many-connections']) .state::before,
:host([data-state='forbidden']) .state::before { background: #dc2626; }
.log {
  flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px;
  outline: none; overflow-anchor: none;
}
.log:focus-visible { box-shadow: inset 0 0 0 2px var(--_accent); }
.message { display: flex; flex-direction: column; max-width: 85%; gap: 4px; margin: 0; }
.message.from-visitor { align-self: flex-end; align-items: flex-end; }
.message.from-agent { align-self: flex-start; }
.message.from-system { align-self: center; color: var(--_muted); font-size: 0.85em; }
.bubble { display: flex; flex-direction: column; gap: 8px; min-width: 0; max-width: 100%; }
.text { padding: 8px 12px; border-radius: var(--_radius); background: var(--_agent-bg); color: var(--_agent-fg); overflow-wrap: anywhere; }
.from-visitor .text { background: var(--_user-bg); color: var(--_user-fg); }
.from-visitor .text a { color: inherit; }
.text p { margin: 0; }
.text p + p { margin-top: 0.6em; }
.text code { font-family: ui-monospace, monospace; font-size: 0.9em; background: rgba(0,0,0,0.06); padding: 0 3px; border-radius: 4px; }
.streaming .text::after { content: '▍'; animation: blink 1s steps(2) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.meta { font-size: 0.75em; color: var(--_muted); }
.message.starts-day { max-width: 100%; align-self: stretch; }
.message.starts-day.from-agent { align-items: flex-start; }
.message.starts-day > .bubble { max-width: 85%; }
.day { align-self: stretch; margin: 8px 0 4px; font-size: 0.75em; font-weight: 600; color: var(--_muted); text-align: center; }
.meta .channel { display: inline-block; margin-right: 6px; padding: 0 6px; border-radius: 999px; background: var(--threadline-channel-badge, #e5e7eb); color: #374151; font-weight: 600; }
.from-visitor.failed .meta { color: #dc2626; }
.cards { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.card { border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; background: var(--_bg); display: flex; flex-direction: column; }
.card-image { width: 100%; max-height: 160px; object-fit: cover; display: block; }
.card-body { padding: 8px 12px; display: flex; flex-direction: column; gap: 2px; }
.card-subtitle { color: var(--_muted); font-size: 0.9em; }
.card-summary { margin: 4px 0 0; }
.carousel { position: relative; display: flex; align-items: center; gap: 4px; max-width: 100%; }
.carousel-track { display: flex; gap: 8px; overflow-x: auto; scroll-snap-type: x mandatory; padding: 2px; outline: none; }
.carousel-track:focus-visible { box-shadow: 0 0 0 2px var(--_accent); border-radius: var(--_radius); }
.carousel-track .card { flex: 0 0 70%; scroll-snap-align: start; }
.carousel-button { flex: none; width: 28px; height: 28px; border-radius: 50%; border: 1px solid var(--_border); background: var(--_bg); color: var(--_fg); cursor: pointer; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; }
.action, .button, .composer button {
  font: inherit; padding: 6px 12px; border-radius: 999px; cursor: pointer; text-decoration: none;
  border: 1px solid var(--_accent); color: var(--_accent); background: var(--_bg); display: inline-block;
}
.action:hover, .button:hover { background: var(--_accent); color: var(--_accent-fg); }
.action:focus-visible, .button:focus-visible, .composer button:focus-visible, a:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.payment { background: var(--_accent); color: var(--_accent-fg); font-weight: 600; }
.links, .documents { margin: 0; padding: 8px 12px; list-style: none; border: 1px solid var(--_border); border-radius: var(--_radius); display: flex; flex-direction: column; gap: 4px; }
.links a, .documents a, .text a { color: var(--_accent); }
.document::before { content: '↓ '; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); gap: 4px; }
.gallery img, .media img { width: 100%; height: 100%; object-fit: cover; border-radius: 8px; display: block; }
.media { margin: 0; width: 280px; max-width: 100%; }
.media img { height: auto; max-height: 360px; }
.media figcaption { padding: 4px 2px 0; font-size: 0.9em; }
.cards { width: 300px; max-width: 100%; }
.template { padding: 8px 12px; border-radius: var(--_radius); background: var(--_agent-bg); color: var(--_agent-fg); border-left: 3px solid var(--_accent); }
.template-label { font-size: 0.75em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_accent); margin-right: 6px; }
.template-name { font-family: ui-monospace, monospace; font-size: 0.9em; }
.template-body { margin: 4px 0 0; white-space: pre-wrap; }
.card.choice { cursor: pointer; }
.card.choice:hover { border-color: var(--_accent); }
.card.choice:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.answered .action, .answered .action:hover, .answered .card.choice {
  opacity: 0.55; cursor: default; background: var(--_bg); color: var(--_muted); border-color: var(--_border);
}
.media video, .media audio { max-width: 100%; }
.flow { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 12px; display: flex; flex-direction: column; gap: 6px; align-items: flex-start; }
.flow-body { margin: 0; }
.flow-footer { color: var(--_muted); }
.typing { padding: 0 14px 6px; font-size: 0.8em; color: var(--_muted); min-height: 1.4em; }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid var(--_border); }
.composer textarea {
  flex: 1; resize: none; font: inherit; color: inherit; background: var(--_bg);
  border: 1px solid var(--_border); border-radius: var(--_radius); padding: 8px 10px; min-height: 38px; max-height: 120px;
}
.composer textarea:focus-visible { outline: 2px solid var(--_accent); outline-offset: 0; }
.composer button { background: var(--_accent); color: var(--_accent-fg); }
`;
