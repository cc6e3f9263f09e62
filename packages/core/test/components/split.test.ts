import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { splitText } from '../../src/components/index';

const URL = /https?:\/\/\S*/gi;
const isSingleUrl = (chunk: string) => /^https?:\/\/\S*$/i.test(chunk);
const collapse = (text: string) => text.trim().replace(/\s+/g, ' ');

describe('splitText', () => {
  test('returns text that fits as one trimmed chunk, and blank text as none', () => {
    expect(splitText('  Hello  ', 5)).toEqual(['Hello']);
    expect(splitText(' \n ', 5)).toEqual([]);
  });

  test('prefers a paragraph break over a later line break or space', () => {
    expect(splitText('One two.\n\nThree\nfour five six', 24)).toEqual([
      'One two.',
      'Three\nfour five six',
    ]);
  });

  test('prefers a line break over a later space', () => {
    expect(splitText('One two\nthree four five', 18)).toEqual(['One two', 'three four five']);
  });

  test('breaks at the last space that fits', () => {
    expect(splitText('aaa bbb ccc ddd', 8)).toEqual(['aaa bbb', 'ccc ddd']);
  });

  test('keeps a URL longer than the limit whole, as its own chunk', () => {
    const url = 'https://example.com/a/very/long/path?with=query';
    expect(splitText(`see ${url} now`, 10)).toEqual(['see', url, 'now']);
  });

  test('cuts a prefix glued to a URL at the start of the URL', () => {
    expect(splitText('(https://example.com/x)', 8)).toEqual(['(', 'https://example.com/x)']);
  });

  test('hard-splits any other token longer than the limit', () => {
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  test('does not cut an emoji in half when hard-splitting', () => {
    expect(splitText('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
  });

  test('throws RangeError for a limit below 1 or not an integer', () => {
    expect(() => splitText('x', 0)).toThrow(RangeError);
    expect(() => splitText('x', 1.5)).toThrow(RangeError);
    expect(() => splitText('x', Number.NaN)).toThrow(RangeError);
  });
});

const word = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.webUrl({ withQueryParameters: true }),
  fc.constantFrom('😀', 'http://x', 'HTTPS://Y.example/long/path', '(https://z.example/p)'),
);
const gap = fc.constantFrom(' ', '  ', '\n', '\n\n', ' \n \n ', '\t');
const text = fc
  .array(fc.tuple(word, gap), { maxLength: 40 })
  .map((pairs) => pairs.map(([w, g]) => w + g).join(''));
const maxLength = fc.integer({ min: 1, max: 60 });

describe('splitText properties', () => {
  test('keeps every chunk within the limit unless it is exactly one URL', () => {
    fc.assert(
      fc.property(text, maxLength, (input, max) => {
        for (const chunk of splitText(input, max)) {
          if (chunk.length > max) expect(isSingleUrl(chunk)).toBe(true);
        }
      }),
    );
  });

  test('returns trimmed, non-empty chunks', () => {
    fc.assert(
      fc.property(text, maxLength, (input, max) => {
        for (const chunk of splitText(input, max)) {
          expect(chunk).not.toBe('');
          expect(chunk).toBe(chunk.trim());
        }
      }),
    );
  });

  test('keeps every URL of the input intact inside one chunk', () => {
    fc.assert(
      fc.property(text, maxLength, (input, max) => {
        const chunks = splitText(input, max);
        for (const url of input.match(URL) ?? []) {
          expect(chunks.some((chunk) => chunk.includes(url))).toBe(true);
        }
      }),
    );
  });

  test('loses and reorders nothing: the chunks hold the input without its whitespace', () => {
    fc.assert(
      fc.property(text, maxLength, (input, max) => {
        const strip = (s: string) => s.replace(/\s+/g, '');
        expect(strip(splitText(input, max).join(''))).toBe(strip(input));
      }),
    );
  });

  test('breaks only at whitespace when no token is longer than the limit', () => {
    fc.assert(
      fc.property(text, maxLength, (input, max) => {
        fc.pre(input.split(/\s+/).every((token) => token.length <= max));
        expect(collapse(splitText(input, max).join(' '))).toBe(collapse(input));
      }),
    );
  });
});
