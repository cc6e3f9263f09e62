import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CapabilitiesSchema, capabilityFieldDocs } from '../../src/index';

describe('the capabilities reference', () => {
  it('documents every field of the schema', () => {
    const docs = capabilityFieldDocs();
    for (const key of Object.keys(CapabilitiesSchema.shape))
      expect(docs).toContain(`| \`${key}\` |`);
    expect(docs).toContain('| `window.hours` | number |');
    expect(docs).not.toMatch(/\|\s*\|\s*$/m);
  });

  it('is what docs/capabilities.md holds (run `pnpm docs:capabilities` after changing the schema)', () => {
    const committed = readFileSync(
      new URL('../../../../docs/capabilities.md', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(capabilityFieldDocs());
  });
});
