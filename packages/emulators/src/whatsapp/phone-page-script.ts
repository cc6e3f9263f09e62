/**
 * The phone page's browser script, as text. It only draws the `PhoneView`s the server sends
 * (see phone-view.ts) and posts what the person does; every decision stays on the server.
 * Written as ES2017 without modules so it runs in any browser without a build step.
 */
export const PHONE_PAGE_SCRIPT = `
(function () {
  var list = document.getElementById('messages');
  var statusLine = document.getElementById('status');
  var typingLine = document.getElementById('typing');
  var views = {};
  var typingTimer;
  var clockBadge = document.getElementById('clock');
  var back = document.querySelector('a.back');
  // Embedded in another page (a demo's panel), the page around it has the way back.
  if (back && window.top !== window) back.hidden = true;
  /** Whether the list follows the newest message: only the person scrolling up lets go. */
  var stick = true, lastTop = 0;
  /** The emulator's clock minus this browser's, from the last message or poll. */
  var skew = 0;
  var closesAt = null;
  /** Skips shorter than this are clock drift, not a skip worth a badge. */
  var SKIP_BADGE_MS = 60000;
  /** How often the page asks the emulator's clock (a skip shows within this). */
  var CLOCK_POLL_MS = 1000;
  var query = '?number=' + encodeURIComponent(PHONE.waId);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function post(body) {
    return fetch('/phone/send' + query, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
    });
  }
  function time(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }
  // One format everywhere: "Thu 3 Dec" for days, "14:05" for times.
  function day(ms) {
    return new Date(ms).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
  }
  function nearBottom() { return list.scrollHeight - list.scrollTop - list.clientHeight < 40; }
  function followNewest() {
    if (!stick) return;
    list.scrollTop = list.scrollHeight;
    lastTop = list.scrollTop;
  }
  list.addEventListener('scroll', function () {
    var top = list.scrollTop;
    if (nearBottom()) stick = true; else if (top < lastTop) stick = false;
    lastTop = top;
  });
  var resized = typeof ResizeObserver === 'function' ? new ResizeObserver(followNewest) : undefined;
  /** A separator above the first message of each day, as WhatsApp draws them. */
  function separateDays() {
    Array.prototype.forEach.call(list.querySelectorAll('.day'), function (node) { node.remove(); });
    var last = '';
    Array.prototype.forEach.call(list.children, function (node) {
      var view = views[node.id.slice(2)];
      if (!view || !view.at) return;
      var label = day(view.at);
      if (label !== last) list.insertBefore(el('div', 'day', label), node);
      last = label;
    });
  }
  function showClock(now, window) {
    if (typeof now === 'number') skew = now - Date.now();
    if (window !== undefined) closesAt = window;
    var open = closesAt && closesAt > Date.now() + skew;
    statusLine.textContent = statusLine.textContent.replace(/ · .*$/, ' · ' + (open
      ? 'window open until ' + day(closesAt) + ' ' + time(closesAt)
      : 'window closed: the business can only send templates'));
    var hours = Math.round(skew / 3600000);
    clockBadge.hidden = skew < SKIP_BADGE_MS;
    clockBadge.textContent = 'clock +' + (hours >= 1 ? hours + ' h' : Math.round(skew / 60000) + ' min');
    clockBadge.title = 'This phone runs on a clock moved ahead of real time: now ' + day(Date.now() + skew) + ' ' + time(Date.now() + skew);
  }
  function ticks(view) {
    if (view.side === 'person') return view.readByBusiness ? ['✓✓', 'read'] : ['✓✓', ''];
    return [view.status, ''];
  }
  function media(view) {
    var m = view.media;
    if (m.kind === 'image' || m.kind === 'sticker') {
      var img = el('img', 'media'); img.alt = m.caption || m.kind;
      // A picture that loads after its bubble grows the list: keep the newest message in view.
      img.addEventListener('load', followNewest);
      if (m.src) img.src = m.src; return img;
    }
    var box = el('div', 'doc', (m.kind === 'document' ? '📄 ' : m.kind === 'audio' ? '🎵 ' : '🎬 ') + (m.filename || m.kind));
    if (m.src) { var a = el('a', '', ' open'); a.href = m.src; a.target = '_blank'; box.appendChild(a); }
    return box;
  }
  function render(view) {
    if (view.reaction) {
      var target = document.getElementById('m-' + view.reaction.messageId);
      if (target && view.reaction.emoji) {
        var badge = target.querySelector('.badge') || target.appendChild(el('span', 'badge'));
        badge.textContent = view.reaction.emoji;
      }
      return el('div', 'reaction', (view.side === 'person' ? 'You reacted ' : 'Reacted ') + (view.reaction.emoji || '(removed)'));
    }
    var b = el('div', 'bubble ' + view.side + ' ' + (view.status || ''));
    if (view.replyTo) {
      var quoted = views[view.replyTo];
      b.appendChild(el('div', 'quote', quoted ? (quoted.text || quoted.header || '[message]').slice(0, 80) : 'Replying'));
    }
    if (view.template) {
      b.appendChild(el('div', 'tpl', 'Template ' + view.template.name + ' (' + view.template.language + ')'));
      if (!view.text && view.template.parameters.length) b.appendChild(el('div', '', view.template.parameters.join(' · ')));
    }
    if (view.header) b.appendChild(el('div', 'hdr', view.header));
    if (view.media) b.appendChild(media(view));
    if (view.media && view.media.caption) b.appendChild(el('div', '', view.media.caption));
    if (view.text) b.appendChild(el('div', '', view.text));
    if (view.footer) b.appendChild(el('div', 'ftr', view.footer));
    var actions = el('div', 'actions');
    (view.buttons || []).forEach(function (label) {
      var button = el('button', '', label); button.type = 'button';
      button.onclick = function () { post({ tap: { messageId: view.id, label: label } }); };
      actions.appendChild(button);
    });
    if (view.link) {
      var link = el('button', '', '↗ ' + view.link.label); link.type = 'button';
      link.onclick = function () { window.open(view.link.url, '_blank'); };
      actions.appendChild(link);
    }
    if (view.list) {
      var rows = el('div', 'rows'), section;
      var opener = el('button', '', '☰ ' + view.list.button); opener.type = 'button';
      opener.onclick = function () { rows.classList.toggle('open'); };
      view.list.rows.forEach(function (row) {
        if (row.section && row.section !== section) { section = row.section; rows.appendChild(el('div', 'section', section)); }
        var r = el('button', '', row.title); r.type = 'button';
        if (row.description) r.appendChild(el('small', '', row.description));
        r.onclick = function () { post({ tap: { messageId: view.id, label: row.title } }); };
        rows.appendChild(r);
      });
      actions.appendChild(opener); actions.appendChild(rows);
    }
    if (actions.childNodes.length) b.appendChild(actions);
    if (view.error) b.appendChild(el('div', 'err', '⚠ Not delivered: ' + view.error));
    var t = ticks(view), meta = el('div', 'meta', time(view.at) + ' ');
    meta.appendChild(el('span', 'ticks ' + t[1], t[0]));
    b.appendChild(meta);
    return b;
  }
  function upsert(view) {
    views[view.id] = view;
    var node = render(view);
    node.id = 'm-' + view.id;
    var old = document.getElementById(node.id);
    if (old) {
      var badge = old.querySelector('.badge');
      if (badge) node.appendChild(badge);
      if (resized) resized.unobserve(old);
      old.replaceWith(node);
    } else {
      list.appendChild(node);
      // What the person writes always brings them to the bottom, as on a phone.
      if (view.side === 'person') stick = true;
    }
    if (resized) resized.observe(node);
    followNewest();
  }
  var events = new EventSource('/phone/events' + query);
  events.addEventListener('snapshot', function (e) {
    var data = JSON.parse(e.data);
    list.textContent = ''; views = {};
    stick = true;
    data.entries.forEach(upsert);
    separateDays();
    followNewest();
    statusLine.textContent = '+' + data.person.waId + ' (' + data.person.name + ') · ';
    showClock(data.now, data.window);
  });
  events.addEventListener('entry', function (e) {
    var data = JSON.parse(e.data);
    upsert(data.view);
    separateDays();
    if (data.view.side === 'business') typingLine.textContent = '';
    showClock(data.now, data.window);
  });
  // The clock can jump with no message (a skipped day): ask it, so the window shown is today's.
  setInterval(function () {
    fetch('/phone/clock' + query).then(function (response) { return response.ok ? response.json() : undefined; })
      .then(function (data) { if (data) showClock(data.now, data.window); })
      .catch(function () {});
  }, CLOCK_POLL_MS);
  events.addEventListener('typing', function (e) {
    // Meta hides the indicator after 25 s or at the next message, whichever comes first.
    typingLine.textContent = 'typing…';
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ''; }, 25000);
  });
  events.onerror = function () { statusLine.textContent = statusLine.textContent.replace(/ · .*$/, ' · reconnecting…'); };
  document.getElementById('compose').onsubmit = function (e) {
    e.preventDefault();
    var input = document.getElementById('text');
    if (!input.value.trim()) return;
    post({ text: input.value }); input.value = '';
  };
  document.getElementById('photo').onclick = function () {
    var input = document.getElementById('text');
    post({ image: input.value ? { caption: input.value } : {} }); input.value = '';
  };
})();
`;
