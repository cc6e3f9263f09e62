import { type Card, type ComponentPart, renderPartAsText } from '@threadline/core';
import { escapeHtml, safeHref } from './html';

/**
 * `:::` components → an HTML block and its plain-text twin, one function per family. Every
 * component is wrapped in `<div class="tl-component" data-kind="…">` and each item carries
 * `tl-item` (labels `tl-label`), so tests and the emulator can read back what the user sees.
 */

/** What a component becomes in both parts of the email. */
export interface RenderedBlock {
  html: string;
  text: string;
}

/** Where an action button points: a signed link per label, made by the adapter. */
export type ActionHref = (label: string) => string;

const BUTTON_STYLE =
  'display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:6px;background:#0969da;color:#ffffff;text-decoration:none;font-weight:bold';

function wrap(kind: string, inner: string): string {
  return `<div class="tl-component" data-kind="${kind}" style="margin:0 0 16px">${inner}</div>`;
}

function link(url: string, label: string, style = ''): string {
  const href = safeHref(url);
  const text = `<span class="tl-label">${escapeHtml(label)}</span>`;
  return href === undefined
    ? text
    : `<a href="${escapeHtml(href)}"${style ? ` style="${style}"` : ''}>${text}</a>`;
}

function image(url: string, alt: string, width: number): string {
  const src = safeHref(url);
  if (src === undefined) return escapeHtml(alt);
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" width="${width}" style="display:block;max-width:100%;height:auto;border:0">`;
}

function card(item: Card, inline: boolean): string {
  const box = inline
    ? 'display:inline-block;vertical-align:top;width:220px;margin:0 8px 8px 0'
    : 'margin:0 0 12px';
  return [
    `<div class="tl-item" style="${box};border:1px solid #d0d7de;border-radius:8px;padding:12px">`,
    item.imageUrl === undefined ? '' : image(item.imageUrl, item.title, inline ? 196 : 480),
    `<div style="font-weight:bold;margin-top:6px"><span class="tl-label">${escapeHtml(item.title)}</span></div>`,
    item.subtitle === undefined
      ? ''
      : `<div style="color:#57606a">${escapeHtml(item.subtitle)}</div>`,
    item.summary === undefined ? '' : `<div>${escapeHtml(item.summary)}</div>`,
    '</div>',
  ].join('');
}

function actions(labels: string[], href: ActionHref): RenderedBlock {
  const buttons = labels.map(
    (label) => `<span class="tl-item">${link(href(label), label, BUTTON_STYLE)}</span>`,
  );
  return {
    html: wrap('actions', buttons.join('')),
    text: labels.map((label) => `${label}: ${href(label)}`).join('\n'),
  };
}

/**
 * One component as HTML and text. `actionHref` is required for `actions` (the planner only
 * passes them natively when the adapter can sign links).
 *
 * @example
 * ```ts
 * renderComponent({ type: 'links', links: [{ url: 'https://x.example', title: 'X' }] }, {}).html;
 * ```
 */
export function renderComponent(
  part: ComponentPart,
  context: { actionHref?: ActionHref },
): RenderedBlock {
  const text = renderPartAsText(part, { format: 'plain' });
  switch (part.type) {
    case 'list-item':
    case 'horizontal-list-item': {
      const inline = part.type === 'horizontal-list-item';
      return { html: wrap(part.type, part.items.map((item) => card(item, inline)).join('')), text };
    }
    case 'actions': {
      const labels = part.actions.map((action) => action.label);
      if (context.actionHref === undefined) return { html: '', text };
      return actions(labels, context.actionHref);
    }
    case 'links':
      return {
        html: wrap(
          'links',
          `<ul style="margin:0;padding-left:20px">${part.links
            .map((entry) => `<li class="tl-item">${link(entry.url, entry.title ?? entry.url)}</li>`)
            .join('')}</ul>`,
        ),
        text,
      };
    case 'images':
      return {
        html: wrap(
          'images',
          part.images
            .map(
              (entry) =>
                `<div class="tl-item" style="margin:0 0 8px">${image(entry.url, entry.alt ?? '', 480)}</div>`,
            )
            .join(''),
        ),
        text,
      };
    case 'documents':
      return {
        html: wrap(
          'documents',
          `<ul style="margin:0;padding-left:20px">${part.documents
            .map(
              (entry) => `<li class="tl-item">📄 ${link(entry.url, entry.name ?? entry.url)}</li>`,
            )
            .join('')}</ul>`,
        ),
        text,
      };
    case 'payment':
      return {
        html: wrap(
          'payment',
          `<span class="tl-item">${link(part.url, part.text, BUTTON_STYLE)}</span>`,
        ),
        text,
      };
    case 'flow':
    case 'navigate':
      // Capabilities never claim these natively: the planner gives them as text or drops them.
      return { html: '', text };
  }
}
