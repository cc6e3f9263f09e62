import { beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { useGraphMock } from './graph';
import { block, createRenderer, renderOptions, text } from './render-helpers';

/** `actions`, `list-item` and `horizontal-list-item`: reply buttons, lists and carousels. */

const graph = useGraphMock();
beforeEach(() => graph.reset());
const render = createRenderer(graph);

const labels = (n: number, length = 5) =>
  Array.from({ length: n }, (_, i) => `L${i + 1}`.padEnd(length, 'x'));
const actions = (list: string[]) => block('actions', ...list.map((label) => `- ${label}`));
const buttons = (body: string, list: string[]) => ({
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: body },
    action: { buttons: list.map((l) => ({ type: 'reply', reply: { id: l, title: l } })) },
  },
});
const listMessage = (body: string, rows: object[]) => ({
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: body },
    action: { button: 'See options', sections: [{ rows }] },
  },
});

describe('actions', () => {
  it('become reply buttons, with the text before them as the body, at 3 labels of 20 characters', async () => {
    const list = labels(3, 20);
    expect(await render(`Shall I book it?\n${actions(list)}`)).toEqual([
      buttons('Shall I book it?', list),
    ]);
  });

  it('get the configured body when nothing was written before them', async () => {
    expect(await render(actions(['Yes', 'No']))).toEqual([buttons('Pick one:', ['Yes', 'No'])]);
  });

  it('become a list at 4 labels, or at a label of 21 characters, with the label as row id', async () => {
    const four = labels(4);
    expect(await render(`Which?\n${actions(four)}`)).toEqual([
      listMessage(
        'Which?',
        four.map((l) => ({ id: l, title: l })),
      ),
    ]);
    graph.reset();
    const long = ['Yes', 'A label of 21 chars..'];
    expect(await render(actions(long))).toEqual([
      listMessage(
        'Pick one:',
        long.map((l) => ({ id: l, title: l })),
      ),
    ]);
  });

  it('become a list up to 10 labels of 24 characters, and text past either', async () => {
    expect(await render(actions(labels(10, 24)))).toEqual([
      listMessage(
        'Pick one:',
        labels(10, 24).map((l) => ({ id: l, title: l })),
      ),
    ]);
    graph.reset();
    expect(await render(`Which?\n${actions(labels(11))}`)).toEqual([
      text(
        `Which?\n\n${labels(11)
          .map((l, i) => `${i + 1}. ${l}`)
          .join('\n')}`,
      ),
    ]);
    graph.reset();
    expect(await render(actions(['Yes', 'x'.repeat(25)]))).toEqual([
      text(`1. Yes\n2. ${'x'.repeat(25)}`),
    ]);
  });

  it('with duplicate labels become text, since WhatsApp needs distinct titles and row ids', async () => {
    expect(await render(actions(['Yes', 'Yes']))).toEqual([text('1. Yes\n2. Yes')]);
  });

  it('keep text that is too long for a body as a message of its own', async () => {
    const long = 'w '.repeat(600).trim();
    expect(await render(`${long}\n${actions(['A', 'B'])}`)).toEqual([
      text(long),
      buttons('Pick one:', ['A', 'B']),
    ]);
  });
});

describe('list-item cards', () => {
  const card = (title: string, subtitle?: string, summary?: string) =>
    block(
      'list-item',
      '![image](https://img.test/c.png)',
      `#${title}`,
      ...(subtitle ? [`##${subtitle}`] : []),
      ...(summary ? [summary] : []),
    );

  it('become one list: row id item-<n>, title, subtitle (or summary) cut to 72 characters', async () => {
    const summary = 's'.repeat(80);
    expect(
      await render(
        ['Our teas:', card('Green tea', '£3'), card('Black tea', undefined, summary)].join('\n'),
      ),
    ).toEqual([
      listMessage('Our teas:', [
        { id: 'item-1', title: 'Green tea', description: '£3' },
        { id: 'item-2', title: 'Black tea', description: `${'s'.repeat(71)}…` },
      ]),
    ]);
  });

  it('become text past 10 cards or a title past 24 characters', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => card(`Tea ${i + 1}`)).join('\n');
    const [message] = await render(eleven);
    expect(message).toMatchObject({ type: 'text' });
    expect(message).toMatchObject({ text: { body: expect.stringContaining('*Tea 11*') } });
    graph.reset();
    expect(await render(card('A title of twenty-five c.', 'sub'))).toEqual([
      text('*A title of twenty-five c.*\nsub\nhttps://img.test/c.png', true),
    ]);
  });
});

describe('horizontal-list-item', () => {
  const cards = (n: number, image = true) =>
    Array.from({ length: n }, (_, i) =>
      block(
        'horizontal-list-item',
        ...(image ? [`![image](https://img.test/${i + 1}.png)`] : []),
        `#Shoe ${i + 1}`,
        `##£${i + 50}`,
      ),
    ).join('\n');

  it('falls back to a list when no carousel template is configured', async () => {
    expect(await render(cards(2))).toEqual([
      listMessage('Pick one:', [
        { id: 'item-1', title: 'Shoe 1', description: '£50' },
        { id: 'item-2', title: 'Shoe 2', description: '£51' },
      ]),
    ]);
  });

  const carousel = createWhatsAppCloudAdapter({
    ...renderOptions,
    carouselTemplate: {
      name: 'shoe_cards',
      languageCode: 'en_GB',
      bodyParameters: ['title', 'subtitle'],
      quickReplyButton: true,
    },
  });

  it('becomes the configured carousel template, the text before it a message of its own', async () => {
    expect(await render(`New in:\n${cards(2)}`, carousel)).toEqual([
      text('New in:'),
      {
        type: 'template',
        template: {
          name: 'shoe_cards',
          language: { code: 'en_GB' },
          components: [
            {
              type: 'carousel',
              cards: [1, 2].map((n) => ({
                card_index: n - 1,
                components: [
                  {
                    type: 'header',
                    parameters: [{ type: 'image', image: { link: `https://img.test/${n}.png` } }],
                  },
                  {
                    type: 'body',
                    parameters: [
                      { type: 'text', text: `Shoe ${n}` },
                      { type: 'text', text: `£${n + 49}` },
                    ],
                  },
                  {
                    type: 'button',
                    sub_type: 'quick_reply',
                    index: '0',
                    parameters: [{ type: 'payload', payload: `item-${n}` }],
                  },
                ],
              })),
            },
          ],
        },
      },
    ]);
  });

  it('becomes a list when a card cannot fill the template (no image), and a single card too', async () => {
    expect(await render(cards(2, false), carousel)).toMatchObject([
      { type: 'interactive', interactive: { type: 'list' } },
    ]);
    graph.reset();
    expect(await render(cards(1), carousel)).toMatchObject([
      { type: 'interactive', interactive: { type: 'list' } },
    ]);
  });
});
