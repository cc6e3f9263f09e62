import { describe, expect, it } from 'vitest';
import { readInterfaces } from './extract';
import { REFERENCE_DOCS, readDoc, referenceTable, renderReferences } from './render';

describe('the authoring guides', () => {
  it.each(REFERENCE_DOCS)(
    '%s is current (run `pnpm docs:reference` after changing a contract)',
    (path) => {
      const committed = readDoc(path);
      expect(committed).toMatch(/<!-- (reference|file) /);
      expect(renderReferences(committed)).toBe(committed);
    },
  );

  it('lists every member of an interface with its optionality, type and first doc paragraph', () => {
    const interfaces = readInterfaces(
      new URL('../../packages/core/src/message/outbound.ts', import.meta.url),
    );
    const result = interfaces.get('SendResult');
    expect(result?.members.map((member) => member.name)).toEqual([
      'providerMessageId',
      'providerMessageIds',
      'status',
      'address',
    ]);
    const table = referenceTable(result ?? { name: '', doc: '', members: [] });
    expect(table).toContain("| `status?` | `'accepted' \\| 'sent' \\| 'delivered'` |");
    expect(table).toContain('| `providerMessageId` | `string` |');
  });

  it('flattens members inherited from interfaces in the same file', () => {
    const events = readInterfaces(
      new URL('../../packages/core/src/events/inbound-events.ts', import.meta.url),
    );
    const names = events.get('MessageEvent')?.members.map((member) => member.name) ?? [];
    expect(names.slice(0, 2)).toEqual(['adapterId', 'channel']);
    expect(names).toContain('message');
  });

  it('fails loudly on a marker naming an interface the file does not declare', () => {
    expect(() =>
      renderReferences(
        '<!-- reference packages/core/src/message/outbound.ts Nope -->\n<!-- /reference -->',
      ),
    ).toThrow(/Nope/);
  });
});
