import { describe, expect, test } from 'vitest';
import { parseMessage } from '../../src/components/index';
import { block, expectKeptAsText } from './block-text';

describe('parseMessage: blocks and text', () => {
  test('returns a single text part for text without blocks', () => {
    expect(parseMessage('Hello there')).toEqual([{ type: 'text', text: 'Hello there' }]);
  });

  test('returns no parts for empty or blank text', () => {
    expect(parseMessage('')).toEqual([]);
    expect(parseMessage(' \n\n\t ')).toEqual([]);
  });

  test('trims text around blocks and drops blank text between them', () => {
    const text = `\n  Before  \n\n${block('actions', '- A')}\n\n\n${block('actions', '- B')}\n\n After\n`;
    expect(parseMessage(text)).toEqual([
      { type: 'text', text: 'Before' },
      { type: 'actions', actions: [{ label: 'A' }] },
      { type: 'actions', actions: [{ label: 'B' }] },
      { type: 'text', text: 'After' },
    ]);
  });

  test('accepts whitespace around the opener and closer and several spaces before the kind', () => {
    expect(parseMessage('  :::   actions  \n- Go\n  :::  ')).toEqual([
      { type: 'actions', actions: [{ label: 'Go' }] },
    ]);
  });

  test('reads CRLF text, keeping carriage returns in text verbatim', () => {
    expect(parseMessage('Hi\r\nthere\r\n::: actions\r\n- Yes\r\n:::\r\nBye')).toEqual([
      { type: 'text', text: 'Hi\r\nthere' },
      { type: 'actions', actions: [{ label: 'Yes' }] },
      { type: 'text', text: 'Bye' },
    ]);
  });

  test('requires a space between ::: and the kind', () => {
    expectKeptAsText(':::actions\n- Yes\n:::');
  });

  test('keeps a block of an unknown kind as text', () => {
    expectKeptAsText('::: custom:poll\n{"question": "Tea?"}\n:::');
  });

  test('keeps an unclosed block as text', () => {
    expectKeptAsText('Choose:\n::: actions\n- Yes\n- No');
  });

  test('treats a block interrupted by another opener as unclosed, and parses the second', () => {
    expect(parseMessage('::: actions\n- Yes\n::: links\n[Docs](https://d.example)\n:::')).toEqual([
      { type: 'text', text: '::: actions\n- Yes' },
      { type: 'links', links: [{ url: 'https://d.example', title: 'Docs' }] },
    ]);
  });

  test('merges a malformed block with the text around it, verbatim', () => {
    const text = `Intro\n${block('payment', 'not a link')}\nOutro`;
    expect(parseMessage(text)).toEqual([{ type: 'text', text }]);
  });

  test('keeps a stray closer as text', () => {
    expectKeptAsText('Done\n:::');
  });

  test('keeps an empty block as text', () => {
    for (const kind of ['list-item', 'actions', 'links', 'images', 'payment', 'flow', 'navigate']) {
      expectKeptAsText(block(kind));
    }
  });
});

describe('parseMessage: list-item and horizontal-list-item', () => {
  test('reads image, title, subtitle and multi-line summary of a card', () => {
    const text = block(
      'list-item',
      '![image](https://i.example/a.png)',
      '#Tea',
      '##Green',
      'Fresh',
      'Light',
    );
    expect(parseMessage(text)).toEqual([
      {
        type: 'list-item',
        items: [
          {
            imageUrl: 'https://i.example/a.png',
            title: 'Tea',
            subtitle: 'Green',
            summary: 'Fresh\nLight',
          },
        ],
      },
    ]);
  });

  test('accepts a space after # and ## and ignores blank lines', () => {
    expect(parseMessage(block('list-item', '# Tea', '', '## Green', '  ', 'Fresh'))).toEqual([
      { type: 'list-item', items: [{ title: 'Tea', subtitle: 'Green', summary: 'Fresh' }] },
    ]);
  });

  test('accepts any alt text on the image line', () => {
    expect(parseMessage(block('list-item', '![A cup](https://i.example/a.png)', '#Tea'))).toEqual([
      { type: 'list-item', items: [{ imageUrl: 'https://i.example/a.png', title: 'Tea' }] },
    ]);
  });

  test('merges consecutive blocks of one kind into one part with several items', () => {
    const text = [block('list-item', '#A'), block('list-item', '#B'), '', block('list-item', '#C')];
    expect(parseMessage(text.join('\n'))).toEqual([
      { type: 'list-item', items: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] },
    ]);
  });

  test('does not merge card blocks separated by text or of different kinds', () => {
    const text = [
      block('list-item', '#A'),
      'or',
      block('list-item', '#B'),
      block('horizontal-list-item', '#C'),
    ].join('\n');
    expect(parseMessage(text)).toEqual([
      { type: 'list-item', items: [{ title: 'A' }] },
      { type: 'text', text: 'or' },
      { type: 'list-item', items: [{ title: 'B' }] },
      { type: 'horizontal-list-item', items: [{ title: 'C' }] },
    ]);
  });

  test('starts a new card at a second title or at an image after a title', () => {
    const text = block(
      'horizontal-list-item',
      '#A',
      'about A',
      '#B',
      '![image](https://i.example/c.png)',
      '#C',
    );
    expect(parseMessage(text)).toEqual([
      {
        type: 'horizontal-list-item',
        items: [
          { title: 'A', summary: 'about A' },
          { title: 'B' },
          { title: 'C', imageUrl: 'https://i.example/c.png' },
        ],
      },
    ]);
  });

  test('reads a title starting with # written as "# #…" and a subtitle of "###…"', () => {
    expect(parseMessage(block('list-item', '# #1 pick', '###2'))).toEqual([
      { type: 'list-item', items: [{ title: '#1 pick', subtitle: '#2' }] },
    ]);
  });

  test.each([
    ['a card without a title', ['##Sub', 'summary']],
    ['a card after the first without a title', ['#A', '![image](https://i.example/x.png)']],
    ['a # with no title', ['#', 'text']],
    ['a ## with no subtitle', ['#A', '##']],
    ['two subtitles on one card', ['#A', '##x', '##y']],
    ['two images before a title', ['![a](https://a)', '![b](https://b)', '#A']],
  ])('keeps a card block as text for %s', (_, body) => {
    expectKeptAsText(block('list-item', ...body));
  });
});
