import { describe, expect, test } from 'vitest';
import {
  type MessagePart,
  parseMessage,
  renderFallbackText,
  renderPartAsText,
} from '../../src/components/index';

const cards: MessagePart = {
  type: 'list-item',
  items: [
    { title: 'Tea', subtitle: 'Green', summary: 'Fresh\nLight', imageUrl: 'https://i/tea.png' },
    { title: 'Coffee' },
  ],
};

describe('renderPartAsText', () => {
  test('renders cards as title, subtitle, summary and image url, a blank line between cards', () => {
    expect(renderPartAsText(cards)).toBe('Tea\nGreen\nFresh\nLight\nhttps://i/tea.png\n\nCoffee');
  });

  test('emphasises card titles per format', () => {
    const part: MessagePart = { type: 'horizontal-list-item', items: [{ title: 'Tea' }] };
    expect(renderPartAsText(part, { format: 'plain' })).toBe('Tea');
    expect(renderPartAsText(part, { format: 'markdown' })).toBe('**Tea**');
    expect(renderPartAsText(part, { format: 'whatsapp' })).toBe('*Tea*');
  });

  test('renders actions as a numbered list the user can answer with a number or label', () => {
    expect(
      renderPartAsText({ type: 'actions', actions: [{ label: 'Yes' }, { label: 'Not now' }] }),
    ).toBe('1. Yes\n2. Not now');
  });

  test('renders links as "Title: url", or the url alone', () => {
    expect(
      renderPartAsText({
        type: 'links',
        links: [{ url: 'https://d', title: 'Docs' }, { url: 'https://e' }],
      }),
    ).toBe('Docs: https://d\nhttps://e');
  });

  test('renders images as their urls', () => {
    expect(
      renderPartAsText({
        type: 'images',
        images: [{ url: 'https://i/1', alt: 'one' }, { url: 'https://i/2' }],
      }),
    ).toBe('https://i/1\nhttps://i/2');
  });

  test('renders documents as "name: url", or the url alone', () => {
    expect(
      renderPartAsText({
        type: 'documents',
        documents: [{ url: 'https://f/a.pdf', name: 'Invoice' }, { url: 'https://f/b.pdf' }],
      }),
    ).toBe('Invoice: https://f/a.pdf\nhttps://f/b.pdf');
  });

  test('renders payment as "text: url"', () => {
    expect(renderPartAsText({ type: 'payment', text: 'Pay $10', url: 'https://pay/1' })).toBe(
      'Pay $10: https://pay/1',
    );
  });

  test('renders a flow as header, body and footer, then its button noting it opens in WhatsApp', () => {
    const flow: MessagePart = {
      type: 'flow',
      flowId: '1',
      cta: 'Book',
      header: 'Booking',
      body: 'Pick a time',
      footer: '1 minute',
    };
    expect(renderPartAsText(flow, { format: 'markdown' })).toBe(
      '**Booking**\nPick a time\n1 minute\n\n**Book** (opens in WhatsApp)',
    );
    expect(renderPartAsText({ type: 'flow', flowId: '1', cta: 'Book' })).toBe(
      'Book (opens in WhatsApp)',
    );
  });

  test('renders navigate as nothing', () => {
    expect(renderPartAsText({ type: 'navigate', path: '/shop', query: { q: 'x' } })).toBe('');
  });

  test('renders text parts unchanged', () => {
    expect(renderPartAsText({ type: 'text', text: 'Hi *there*' }, { format: 'markdown' })).toBe(
      'Hi *there*',
    );
  });
});

describe('renderFallbackText', () => {
  test('joins parts with a blank line and leaves no gap for navigate', () => {
    const parts = parseMessage(
      'Our picks:\n::: navigate\n![navigate](/picks)\n:::\n::: actions\n- More\n:::\nThanks',
    );
    expect(renderFallbackText(parts, { format: 'whatsapp' })).toBe(
      'Our picks:\n\n1. More\n\nThanks',
    );
  });

  test('returns an empty string for no parts', () => {
    expect(renderFallbackText([])).toBe('');
  });
});
