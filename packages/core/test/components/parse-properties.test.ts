import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MessagePartSchema, parseMessage, serializeParts } from '../../src/components/index';

/** Lines an agent's `:::` text is made of, valid and broken, to build grammar-ish messages. */
const fragment = fc.oneof(
  fc.constantFrom(
    ':::',
    ' ::: ',
    '::: actions',
    '::: list-item',
    '::: horizontal-list-item',
    '::: links',
    '::: images',
    '::: documents',
    '::: payment',
    '::: flow',
    '::: navigate',
    '::: unknown',
    '- x',
    '* y',
    '-',
    '#T',
    '# ',
    '##S',
    '![a](u)',
    '![navigate](/p?a=%zz&b=1)',
    '[t](https://x)',
    '[](u)',
    'flow_id=1',
    "flow_cta: 'Go'",
    'key',
    '',
    ' ',
    '\r',
  ),
  fc.string({ maxLength: 8 }),
);

const grammarish = fc.array(fragment, { maxLength: 30 }).map((lines) => lines.join('\n'));
const anything = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  grammarish,
);

describe('parseMessage properties', () => {
  test('never throws, whatever the string', () => {
    fc.assert(
      fc.property(anything, (text) => {
        parseMessage(text);
      }),
      { numRuns: 500 },
    );
  });

  test('returns only schema-valid parts, text trimmed and non-empty, never two texts in a row', () => {
    fc.assert(
      fc.property(anything, (text) => {
        const parts = parseMessage(text);
        parts.forEach((part, index) => {
          expect(MessagePartSchema.safeParse(part).success).toBe(true);
          if (part.type !== 'text') return;
          expect(part.text).toBe(part.text.trim());
          expect(part.text).not.toBe('');
          expect(parts[index - 1]?.type).not.toBe('text');
        });
      }),
    );
  });

  test('keeps all the text of a message that has no valid block', () => {
    fc.assert(
      fc.property(anything, (text) => {
        const parts = parseMessage(text);
        if (parts.every((part) => part.type === 'text')) {
          expect(parts.map((part) => part.type === 'text' && part.text).join('')).toBe(text.trim());
        }
      }),
    );
  });

  test('reads its own serialization back as the same parts', () => {
    fc.assert(
      fc.property(grammarish, (text) => {
        const parts = parseMessage(text);
        expect(parseMessage(serializeParts(parts))).toEqual(parts);
      }),
      { numRuns: 300 },
    );
  });
});
