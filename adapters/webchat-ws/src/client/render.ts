import type { WireCard, WireMedia, WirePart } from '../protocol/frames';
import { safeLink, safeMedia } from './safe-url';
import { renderText } from './text';

/**
 * Message parts → DOM, one small function per `:::` kind. Every element is built with
 * `createElement`/`textContent` (no `innerHTML`), links open in a new tab without an opener, and
 * interactive pieces are native buttons and links, so they work from the keyboard.
 */

/** What a rendered part can do: send a message (an action button) back through the chat. */
export interface RenderActions {
  send(text: string): void;
}

type Maker = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
) => HTMLElementTagNameMap[K];

function maker(document: Document): Maker {
  return (tag, className, text) => {
    const element = document.createElement(tag);
    if (className !== undefined) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  };
}

function anchor(make: Maker, url: string, label: string, className?: string): HTMLElement {
  const href = safeLink(url);
  if (href === undefined) return make('span', className, label);
  const a = make('a', className, label);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function card(make: Maker, item: WireCard, tag: 'li' | 'div'): HTMLElement {
  const element = make(tag, 'card');
  const src = item.imageUrl === undefined ? undefined : safeMedia(item.imageUrl);
  if (src !== undefined) {
    const img = make('img', 'card-image');
    img.src = src;
    img.alt = item.title;
    img.loading = 'lazy';
    element.appendChild(img);
  }
  const body = make('div', 'card-body');
  body.appendChild(make('strong', 'card-title', item.title));
  if (item.subtitle !== undefined) body.appendChild(make('span', 'card-subtitle', item.subtitle));
  if (item.summary !== undefined) body.appendChild(make('p', 'card-summary', item.summary));
  element.appendChild(body);
  return element;
}

/**
 * A vertical list is a choice, as on WhatsApp (a list message's rows send their title): each card
 * is tappable and sends its title. Cards stay `li`s with `role="button"` (a `button` may not hold
 * the card's block content), so they answer to Enter and Space like a native button.
 */
function list(make: Maker, items: readonly WireCard[], actions: RenderActions): HTMLElement {
  const ul = make('ul', 'cards');
  for (const item of items) {
    const element = card(make, item, 'li');
    element.classList.add('choice');
    element.setAttribute('role', 'button');
    element.tabIndex = 0;
    const choose = () => {
      if (element.getAttribute('aria-disabled') !== 'true') actions.send(item.title);
    };
    element.addEventListener('click', choose);
    element.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      choose();
    });
    ul.appendChild(element);
  }
  return ul;
}

/** A horizontally scrolling carousel with previous/next buttons (WAI-ARIA carousel pattern). */
function carousel(make: Maker, items: readonly WireCard[]): HTMLElement {
  const region = make('section', 'carousel');
  region.setAttribute('aria-roledescription', 'carousel');
  region.setAttribute('aria-label', `${items.length} cards`);
  const track = make('div', 'carousel-track');
  track.tabIndex = 0;
  items.forEach((item, index) => {
    const slide = card(make, item, 'div');
    slide.setAttribute('role', 'group');
    slide.setAttribute('aria-roledescription', 'slide');
    slide.setAttribute('aria-label', `${index + 1} of ${items.length}`);
    track.appendChild(slide);
  });
  const step = (direction: 1 | -1) => () =>
    track.scrollBy({ left: direction * track.clientWidth * 0.8, behavior: 'smooth' });
  const previous = make('button', 'carousel-button previous', '‹');
  previous.type = 'button';
  previous.setAttribute('aria-label', 'Previous cards');
  previous.addEventListener('click', step(-1));
  const next = make('button', 'carousel-button next', '›');
  next.type = 'button';
  next.setAttribute('aria-label', 'Next cards');
  next.addEventListener('click', step(1));
  track.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight') step(1)();
    if (event.key === 'ArrowLeft') step(-1)();
  });
  region.append(previous, track, next);
  return region;
}

function actionButtons(
  make: Maker,
  labels: readonly string[],
  actions: RenderActions,
): HTMLElement {
  const group = make('div', 'actions');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Suggested replies');
  for (const label of labels) {
    const button = make('button', 'action', label);
    button.type = 'button';
    button.addEventListener('click', () => actions.send(label));
    group.appendChild(button);
  }
  return group;
}

function flow(make: Maker, part: Extract<WirePart, { type: 'flow' }>, actions: RenderActions) {
  // A WhatsApp Flow has no web form to open. With a `url=` line the agent can give one; without,
  // the button sends its label, so the agent can carry on in the chat.
  const box = make('div', 'flow');
  if (part.header !== undefined) box.appendChild(make('strong', 'flow-header', part.header));
  if (part.body !== undefined) box.appendChild(make('p', 'flow-body', part.body));
  const url = part.extra?.url;
  if (url !== undefined && safeLink(url) !== undefined) {
    box.appendChild(anchor(make, url, part.cta, 'button flow-cta'));
  } else {
    box.appendChild(actionButtons(make, [part.cta], actions));
  }
  if (part.footer !== undefined) box.appendChild(make('small', 'flow-footer', part.footer));
  return box;
}

/** Renders one part; `undefined` for a part that is never shown (`navigate`). */
export function renderPart(
  document: Document,
  part: WirePart,
  actions: RenderActions,
): HTMLElement | undefined {
  const make = maker(document);
  switch (part.type) {
    case 'text':
      return renderText(document, part.text);
    case 'list-item':
      return list(make, part.items, actions);
    case 'horizontal-list-item':
      return carousel(make, part.items);
    case 'actions':
      return actionButtons(
        make,
        part.actions.map((action) => action.label),
        actions,
      );
    case 'links': {
      const ul = make('ul', 'links');
      for (const item of part.links) {
        const li = make('li');
        li.appendChild(anchor(make, item.url, item.title ?? item.url));
        ul.appendChild(li);
      }
      return ul;
    }
    case 'images': {
      const gallery = make('div', 'gallery');
      for (const image of part.images) {
        const src = safeMedia(image.url);
        if (src === undefined) continue;
        const a = make('a');
        a.href = src;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        const img = make('img');
        img.src = src;
        img.alt = image.alt ?? '';
        img.loading = 'lazy';
        a.appendChild(img);
        gallery.appendChild(a);
      }
      return gallery;
    }
    case 'documents': {
      const ul = make('ul', 'documents');
      for (const item of part.documents) {
        const li = make('li');
        const name = item.name ?? item.url.split('/').pop() ?? item.url;
        const link = anchor(make, item.url, name, 'document');
        if (link instanceof HTMLAnchorElement) link.setAttribute('download', '');
        li.appendChild(link);
        ul.appendChild(li);
      }
      return ul;
    }
    case 'payment':
      return anchor(make, part.url, part.text, 'button payment');
    case 'flow':
      return flow(make, part, actions);
    case 'navigate':
      return undefined;
  }
}

/** Renders a media attachment (image, video, audio inline; anything else as a download link). */
export function renderMedia(document: Document, media: WireMedia): HTMLElement | undefined {
  const make = maker(document);
  const src = media.url === undefined ? undefined : safeMedia(media.url);
  if (src === undefined) return undefined;
  const figure = make('figure', `media media-${media.kind}`);
  if (media.kind === 'image' || media.kind === 'sticker') {
    const img = make('img');
    img.src = src;
    img.alt = media.caption ?? media.filename ?? '';
    img.loading = 'lazy';
    figure.appendChild(img);
  } else if (media.kind === 'video' || media.kind === 'audio') {
    const player = make(media.kind);
    player.src = src;
    player.controls = true;
    figure.appendChild(player);
  } else {
    const link = anchor(make, src, media.filename ?? media.caption ?? 'Download', 'document');
    link.setAttribute('download', '');
    figure.appendChild(link);
  }
  if (media.caption !== undefined && media.kind !== 'document') {
    figure.appendChild(make('figcaption', undefined, media.caption));
  }
  return figure;
}
