import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseMessage, serializeParts } from '../../src/components/index';
import { messageParts, normalise } from './arbitraries';

describe('serializeParts', () => {
  test('writes canonical blocks separated by a blank line', () => {
    expect(
      serializeParts([
        { type: 'text', text: 'Pick one:' },
        { type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] },
        { type: 'links', links: [{ url: 'https://a' }, { url: 'https://b', title: 'B' }] },
      ]),
    ).toBe(
      'Pick one:\n\n::: actions\n- Yes\n- No\n:::\n\n::: links\n![link](https://a)\n[B](https://b)\n:::',
    );
  });

  test('writes one block per card', () => {
    expect(
      serializeParts([
        {
          type: 'list-item',
          items: [
            { title: 'A', imageUrl: 'https://i/a.png', subtitle: 'a', summary: 'x\ny' },
            { title: 'B' },
          ],
        },
      ]),
    ).toBe(
      '::: list-item\n![image](https://i/a.png)\n#A\n##a\nx\ny\n:::\n\n::: list-item\n#B\n:::',
    );
  });

  test('quotes flow values only when they would not read back as written', () => {
    expect(
      serializeParts([
        { type: 'flow', flowId: '1', cta: 'Go', body: ' padded', extra: { q: "'x'" } },
      ]),
    ).toBe(`::: flow\nflow_id=1\nflow_cta=Go\nbody=" padded"\nq="'x'"\n:::`);
  });

  test('encodes the navigate query', () => {
    expect(serializeParts([{ type: 'navigate', path: '/s', query: { q: 'a b&c' } }])).toBe(
      '::: navigate\n![navigate](/s?q=a+b%26c)\n:::',
    );
  });

  test('round-trips arbitrary well-formed parts through parseMessage', () => {
    fc.assert(
      fc.property(messageParts, (parts) => {
        expect(parseMessage(serializeParts(parts))).toEqual(normalise(parts));
      }),
    );
  });
});
