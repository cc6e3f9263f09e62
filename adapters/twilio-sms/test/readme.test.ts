import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPT_OUT_KEYWORDS, TWILIO_ERROR_CODES } from '../src/index';

/** The README's tables must list what the code does. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every error code with its category and source', () => {
    for (const [code, rule] of Object.entries(TWILIO_ERROR_CODES)) {
      expect(readme).toContain(
        `| [${code}](${rule.source}) | ${rule.meaning} | \`${rule.category}\` |`,
      );
    }
  });

  it('lists every default keyword', () => {
    for (const word of [
      ...OPT_OUT_KEYWORDS.stop,
      ...OPT_OUT_KEYWORDS.start,
      ...OPT_OUT_KEYWORDS.help,
    ]) {
      expect(readme).toContain(word);
    }
  });
});
