import type { ComponentKind } from '@threadline/core';
import type { RenderedMessage } from '@threadline/testkit';
import type { ReceivedMail } from './smtp-sink';

/**
 * What a recipient sees in a received email, as the conformance suite's `RenderedMessage`s: the
 * HTML part read back block by block (`tl-text` sections and `tl-component` blocks, in order).
 */

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] as string);

function visible(html: string): string {
  return decode(
    html
      .replace(/<br>/g, '\n')
      .replace(/<\/p>/g, '\n\n')
      .replace(/<[^>]+>/g, ''),
  ).trim();
}

function blocks(html: string): string[] {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  return body
    .split(/\n(?=<div class="tl-(?:text|component|footer)")/)
    .filter((block) => /^<div class="tl-(text|component)"/.test(block));
}

/** One email's HTML → rendered messages. */
export function renderedFromMail(mail: ReceivedMail): RenderedMessage[] {
  const html = String(mail.parsed.html || '');
  return blocks(html).map((block): RenderedMessage => {
    if (block.startsWith('<div class="tl-text">')) return { type: 'text', text: visible(block) };
    const kind = /data-kind="([a-z-]+)"/.exec(block)?.[1] as ComponentKind;
    const labels = [...block.matchAll(/<span class="tl-label">([^<]*)<\/span>/g)].map((match) =>
      decode(match[1] as string),
    );
    return {
      type: 'component',
      kind,
      items: block.match(/class="tl-item"/g)?.length ?? 0,
      ...(labels.length > 0 ? { labels } : {}),
    };
  });
}
