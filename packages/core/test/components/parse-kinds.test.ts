import { describe, expect, test } from 'vitest';
import { parseMessage } from '../../src/components/index';
import { block, expectKeptAsText } from './block-text';

describe('parseMessage: actions', () => {
  test('reads "- Label" and "* Label" lines, ignoring blank lines', () => {
    expect(parseMessage(block('actions', '- Yes', '', '*   Not now  '))).toEqual([
      { type: 'actions', actions: [{ label: 'Yes' }, { label: 'Not now' }] },
    ]);
  });

  test.each([
    ['a plain line', ['- Yes', 'No']],
    ['a dash without a space', ['-Yes']],
    ['a bold line', ['**Yes**']],
    ['a dash without a label', ['- ']],
  ])('keeps actions as text for %s', (_, body) => {
    expectKeptAsText(block('actions', ...body));
  });
});

describe('parseMessage: links, images and documents', () => {
  test('reads ![link](url) without a title and [Title](url) with one', () => {
    expect(
      parseMessage(block('links', '![link](https://a.example)', '[Docs](https://d.example/x_(y))')),
    ).toEqual([
      {
        type: 'links',
        links: [{ url: 'https://a.example' }, { url: 'https://d.example/x_(y)', title: 'Docs' }],
      },
    ]);
  });

  test('reads ![alt](url) image lines, an empty alt giving no alt', () => {
    expect(
      parseMessage(block('images', '![A cat](https://i/cat.png)', '![](https://i/dog.png)')),
    ).toEqual([
      {
        type: 'images',
        images: [{ url: 'https://i/cat.png', alt: 'A cat' }, { url: 'https://i/dog.png' }],
      },
    ]);
  });

  test('reads [name](url) and ![document](url) document lines', () => {
    expect(
      parseMessage(
        block('documents', '[Invoice.pdf](https://f/inv.pdf)', '![document](https://f/t.pdf)'),
      ),
    ).toEqual([
      {
        type: 'documents',
        documents: [{ url: 'https://f/inv.pdf', name: 'Invoice.pdf' }, { url: 'https://f/t.pdf' }],
      },
    ]);
  });

  test.each([
    ['links', ['https://a.example']],
    ['links', ['[Docs](https://d.example) and more']],
    ['links', ['[Docs](https://d.example with space)']],
    ['images', ['[not an image](https://i/x.png)']],
    ['images', ['![cat]()']],
    ['documents', ['- https://f/inv.pdf']],
  ])('keeps %s as text for the body line %j', (kind, body) => {
    expectKeptAsText(block(kind, ...body));
  });
});

describe('parseMessage: payment', () => {
  test('reads one [text](url) line', () => {
    expect(parseMessage(block('payment', '', '[Pay $10](https://pay.example/c/1)', ''))).toEqual([
      { type: 'payment', text: 'Pay $10', url: 'https://pay.example/c/1' },
    ]);
  });

  test.each([
    ['two link lines', ['[Pay](https://p/1)', '[Pay](https://p/2)']],
    ['an image line', ['![Pay](https://p/1)']],
    ['an empty link text', ['[](https://p/1)']],
  ])('keeps payment as text for %s', (_, body) => {
    expectKeptAsText(block('payment', ...body));
  });
});

describe('parseMessage: flow', () => {
  test('reads key=value lines and maps the named keys', () => {
    const text = block(
      'flow',
      'flow_id=123',
      'flow_cta=Book now',
      'header=Table booking',
      'body=Pick a time',
      'footer=Takes 1 minute',
      'screen=WELCOME',
    );
    expect(parseMessage(text)).toEqual([
      {
        type: 'flow',
        flowId: '123',
        cta: 'Book now',
        header: 'Table booking',
        body: 'Pick a time',
        footer: 'Takes 1 minute',
        screen: 'WELCOME',
      },
    ]);
  });

  test('accepts "key: value", spaces around the separator and single or double quotes', () => {
    const text = block('flow', 'flow_id : "123"', "flow_cta:'Book now'", 'body = "Note: bring ID"');
    expect(parseMessage(text)).toEqual([
      { type: 'flow', flowId: '123', cta: 'Book now', body: 'Note: bring ID' },
    ]);
  });

  test('keeps other keys in extra and treats empty values as absent', () => {
    expect(
      parseMessage(block('flow', 'flow_id=1', 'flow_cta=Go', 'mode=draft', 'header=')),
    ).toEqual([{ type: 'flow', flowId: '1', cta: 'Go', extra: { mode: 'draft' } }]);
  });

  test.each([
    ['flow_id missing', ['flow_cta=Go']],
    ['flow_cta missing', ['flow_id=1']],
    ['flow_cta empty', ['flow_id=1', 'flow_cta=""']],
    ['a line without a separator', ['flow_id=1', 'flow_cta=Go', 'just words']],
    ['a key given twice', ['flow_id=1', 'flow_cta=Go', 'flow_id=2']],
  ])('keeps flow as text with %s', (_, body) => {
    expectKeptAsText(block('flow', ...body));
  });
});

describe('parseMessage: navigate', () => {
  test('splits the path from the URL-decoded query', () => {
    expect(
      parseMessage(block('navigate', '![navigate](/shop/shoes?color=dark%20red&q=a+b&x=)')),
    ).toEqual([
      { type: 'navigate', path: '/shop/shoes', query: { color: 'dark red', q: 'a b', x: '' } },
    ]);
  });

  test('gives an empty query without a ?, and drops a #fragment', () => {
    expect(parseMessage(block('navigate', '![navigate](/help#faq)'))).toEqual([
      { type: 'navigate', path: '/help', query: {} },
    ]);
  });

  test('keeps a malformed percent escape as written instead of throwing', () => {
    expect(parseMessage(block('navigate', '![navigate](/s?q=100%)'))).toEqual([
      { type: 'navigate', path: '/s', query: { q: '100%' } },
    ]);
  });

  test.each([
    ['a plain link', ['[go](/shop)']],
    ['two lines', ['![navigate](/a)', '![navigate](/b)']],
    ['an empty path', ['![navigate](?q=1)']],
  ])('keeps navigate as text with %s', (_, body) => {
    expectKeptAsText(block('navigate', ...body));
  });
});
