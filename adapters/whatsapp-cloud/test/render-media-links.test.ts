import { beforeEach, describe, expect, it } from 'vitest';
import { useGraphMock } from './graph';
import { block, createRenderer, text } from './render-helpers';

/** `images`, `documents`, `links`, `payment`, `flow` and `navigate`. */

const graph = useGraphMock();
beforeEach(() => graph.reset());
const render = createRenderer(graph);

describe('images and documents', () => {
  it('send one image message per image with its alt text as caption, up to 10', async () => {
    const lines = Array.from(
      { length: 10 },
      (_, i) => `![Photo ${i + 1}](https://img.test/${i}.png)`,
    );
    const messages = await render(`Photos:\n${block('images', ...lines)}`);
    expect(messages[0]).toEqual(text('Photos:'));
    expect(messages.slice(1)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({
        type: 'image',
        image: { link: `https://img.test/${i}.png`, caption: `Photo ${i + 1}` },
      })),
    );
  });

  it('send 11 images as one text of links', async () => {
    const urls = Array.from({ length: 11 }, (_, i) => `https://img.test/${i}.png`);
    expect(await render(block('images', ...urls.map((u) => `![](${u})`)))).toEqual([
      text(urls.join('\n'), true),
    ]);
  });

  it('send documents with their names as file names', async () => {
    expect(
      await render(
        block(
          'documents',
          '[Invoice.pdf](https://files.test/1)',
          '[](https://files.test/report.pdf)',
        ),
      ),
    ).toEqual([
      { type: 'document', document: { link: 'https://files.test/1', filename: 'Invoice.pdf' } },
      {
        type: 'document',
        document: { link: 'https://files.test/report.pdf', filename: 'report.pdf' },
      },
    ]);
  });
});

describe('links, payment, flow and navigate', () => {
  it('send links as text with a preview', async () => {
    expect(
      await render(
        `Read more:\n${block('links', '[Docs](https://docs.test)', '[Blog](https://blog.test)')}`,
      ),
    ).toEqual([text('Read more:\n\nDocs: https://docs.test\nBlog: https://blog.test', true)]);
  });

  it('send a payment as a CTA URL button, or as text when its label is over 20 characters', async () => {
    expect(
      await render(`Your total is £12.\n${block('payment', '[Pay now](https://pay.test/1)')}`),
    ).toEqual([
      {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'Your total is £12.' },
          action: {
            name: 'cta_url',
            parameters: { display_text: 'Pay now', url: 'https://pay.test/1' },
          },
        },
      },
    ]);
    graph.reset();
    expect(
      await render(block('payment', '[Pay securely by card now](https://pay.test/1)')),
    ).toEqual([text('Pay securely by card now: https://pay.test/1', true)]);
  });

  it('send a flow as a Flow message that opens its screen with the other keys as data', async () => {
    const flow = block(
      'flow',
      'flow_id=1234567890',
      'flow_cta=Book now',
      'header=Appointments',
      'body=Choose a time that suits you.',
      'footer=Takes a minute',
      'screen=APPOINTMENT',
      'clinic=north',
    );
    expect(await render(`Let's book.\n${flow}`)).toEqual([
      text("Let's book."),
      {
        type: 'interactive',
        interactive: {
          type: 'flow',
          header: { type: 'text', text: 'Appointments' },
          body: { text: 'Choose a time that suits you.' },
          footer: { text: 'Takes a minute' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: 'delivery-1',
              flow_id: '1234567890',
              flow_cta: 'Book now',
              flow_action: 'navigate',
              flow_action_payload: { screen: 'APPOINTMENT', data: { clinic: 'north' } },
            },
          },
        },
      },
    ]);
  });

  it('take the text before a flow without a body as its body, and an explicit token and mode', async () => {
    const flow = block('flow', 'flow_id=1', 'flow_cta=Start', 'flow_token=t-9', 'mode=draft');
    expect(await render(`Tell us more:\n${flow}`)).toEqual([
      {
        type: 'interactive',
        interactive: {
          type: 'flow',
          body: { text: 'Tell us more:' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: 't-9',
              flow_id: '1',
              flow_cta: 'Start',
              flow_action: 'data_exchange',
              mode: 'draft',
            },
          },
        },
      },
    ]);
  });

  it('send a flow with a button label over 20 characters, or a header over 60, as text', async () => {
    expect(await render(block('flow', 'flow_id=1', 'flow_cta=Book your appointment now'))).toEqual([
      text('*Book your appointment now* (opens in WhatsApp)'),
    ]);
    graph.reset();
    const header = 'h'.repeat(61);
    expect(await render(block('flow', 'flow_id=1', 'flow_cta=Go', `header=${header}`))).toEqual([
      text(`*${header}*\n\n*Go* (opens in WhatsApp)`),
    ]);
  });

  it('drop navigate blocks and keep the text around them', async () => {
    expect(await render(`Done.\n${block('navigate', '![navigate](/orders?id=1)')}\nBye.`)).toEqual([
      text('Done.\n\nBye.'),
    ]);
  });
});
