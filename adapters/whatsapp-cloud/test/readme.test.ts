import { readFileSync, writeFileSync } from 'node:fs';
import { COMPONENT_KINDS, MEDIA_KINDS } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import {
  GRAPH_ERROR_CODES,
  GRAPH_ERROR_RANGES,
  type GraphErrorRule,
  MAX_MESSAGES_PER_SECOND,
  whatsAppCapabilities,
} from '../src/index';

/**
 * The README's capability and error tables are generated from the code, so they cannot drift:
 * this test fails when they differ, and `UPDATE_README=1 pnpm vitest run adapters/whatsapp-cloud`
 * rewrites them.
 */

const README = new URL('../README.md', import.meta.url);

function capabilitiesTable(): string {
  const c = whatsAppCapabilities();
  const carousel = whatsAppCapabilities({ carousel: true }).components['horizontal-list-item'];
  const yes = (value: boolean) => (value ? 'yes' : 'no');
  const mb = (bytes: number) =>
    bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
  const rows: string[][] = [
    ['reach (cold)', `${c.reach.cold}, addressed by ${c.reach.addressBy.join(', ')}`],
    ['identity', `${c.reach.identity} (E.164)`],
    ['session window', c.window ? `${c.window.hours} h; outside it: ${c.window.outside}` : 'none'],
    ['opt-out keywords', c.optOut ? c.optOut.stop.join(', ') : 'none (users block the number)'],
    [
      'text',
      `${c.text.maxLength} characters per message, ${c.text.format} formatting, at most ${c.text.maxParts} messages`,
    ],
    ...COMPONENT_KINDS.map((kind) => {
      const support = c.components[kind];
      const limits = [
        support.max === undefined ? undefined : `max ${support.max}`,
        support.maxLabelLength === undefined ? undefined : `labels ≤ ${support.maxLabelLength}`,
      ].filter(Boolean);
      const suffix =
        kind === 'horizontal-list-item'
          ? ` (native, max ${carousel.max}, with a carousel template)`
          : '';
      return [
        `\`${kind}\``,
        `${support.mode}${limits.length ? ` (${limits.join(', ')})` : ''}${suffix}`,
      ];
    }),
    ...MEDIA_KINDS.map((kind) => {
      const media = c.media[kind];
      if (!media) return [`media: ${kind}`, 'not supported'];
      const types = media.mimeTypes ? media.mimeTypes.join(', ') : 'any';
      return [
        `media: ${kind}`,
        `≤ ${mb(media.maxBytes)}; ${types}; caption: ${yes(media.caption)}`,
      ];
    }),
    ['templates', c.templates.categories.join(', ')],
    ['receipts', c.receipts.join(', ')],
    ...Object.entries(c.features).map(([feature, value]) => [`feature: ${feature}`, yes(value)]),
    [
      'rate',
      `${c.rate.perSecond} messages/s per number by default (\`rate.perSecond\`, up to ${MAX_MESSAGES_PER_SECOND})`,
    ],
    [
      'per recipient',
      c.rate.perRecipient
        ? `about ${c.rate.perRecipient.messages} per ${c.rate.perRecipient.perSeconds} s (131056 past it)`
        : 'none',
    ],
  ];
  return [
    '| capability | WhatsApp Cloud |',
    '| --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function errorRow(code: string, rule: GraphErrorRule): string {
  const retry = rule.retryable
    ? `yes${rule.retryAfterMs ? `, after ${rule.retryAfterMs / 1000} s` : ''}`
    : 'no';
  return `| ${code} | ${rule.meaning} | \`${rule.category}\` | ${retry} |`;
}

function errorTable(): string {
  return [
    '| code | meaning | category | retried by the core |',
    '| --- | --- | --- | --- |',
    ...Object.entries(GRAPH_ERROR_CODES).map(([code, rule]) => errorRow(code, rule)),
    ...GRAPH_ERROR_RANGES.map((range) => errorRow(`${range.from}–${range.to}`, range.rule)),
    '| other, HTTP 429 | too many requests | `throttled` | yes |',
    '| other, HTTP 401/403 | not authorised | `auth` | no |',
    '| other, HTTP 408/5xx, network error, timeout | Graph API failure | `provider` | yes |',
    '| anything else | unrecognised error | `unknown` | no |',
  ].join('\n');
}

function section(readme: string, name: string): string | undefined {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(
    readme,
  );
  return match?.[1];
}

describe('the README', () => {
  const tables = { capabilities: capabilitiesTable(), errors: errorTable() };

  if (process.env.UPDATE_README) {
    let readme = readFileSync(README, 'utf8');
    for (const [name, table] of Object.entries(tables)) {
      readme = readme.replace(
        new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`),
        `$1${table}$2`,
      );
    }
    writeFileSync(README, readme);
  }

  it.each(Object.entries(tables))('has the %s table generated from the code', (name, table) => {
    expect(section(readFileSync(README, 'utf8'), name)).toBe(table);
  });
});
