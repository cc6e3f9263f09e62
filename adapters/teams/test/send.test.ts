import type { JsonObject, OutboundEnvelope } from '@threadline/core';
import { createFakeClock } from '@threadline/testkit';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../src/index';
import { adaptiveCardProblems } from './cards';
import { baseOptions, SERVICE_URL, useConnectorMock } from './connector';
import { channelMention, MEGAN_REFERENCE, personalMessage } from './fixtures/activities';

const connector = useConnectorMock();

const EVERY_KIND = [
  'Here are your options:',
  '::: list-item',
  '![image](https://example.com/a.png)',
  '#Blue shirt',
  '##€25',
  'Cotton, slim fit.',
  ':::',
  '::: horizontal-list-item',
  '#Red',
  ':::',
  '::: horizontal-list-item',
  '#Green',
  ':::',
  '::: actions',
  '- Yes',
  '- No',
  ':::',
  '::: links',
  '[Docs](https://example.com/docs)',
  ':::',
  '::: images',
  '![one](https://example.com/1.png)',
  ':::',
  '::: documents',
  '[Invoice.pdf](https://example.com/invoice.pdf)',
  ':::',
  '::: payment',
  '[Pay now](https://pay.example.com/1)',
  ':::',
].join('\n');

function envelope(text: string, reference: JsonObject | null = MEGAN_REFERENCE): OutboundEnvelope {
  return {
    deliveryId: `d-${Math.random()}`,
    to: { address: personalMessage.from.id, ...(reference ? { reference } : {}) },
    text,
  };
}

describe('sending through the stored conversation reference', () => {
  it('posts text as a new markdown message in the conversation, with the bot token', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    const result = await adapter.send(envelope('**Hello** Megan'));
    expect(result.providerMessageId).toBe('1:activity-1');
    expect(connector.posted).toHaveLength(1);
    expect(connector.posted[0]).toMatchObject({
      method: 'POST',
      conversationId: personalMessage.conversation.id,
      authorization: 'Bearer bot-access-token',
      body: { type: 'message', text: '**Hello** Megan', textFormat: 'markdown' },
    });
    expect(connector.posted[0]?.body).not.toHaveProperty('replyToId');
    expect(connector.tokenRequests[0]?.get('scope')).toBe('https://api.botframework.com/.default');
  });

  it('renders every ::: kind as an Adaptive Card 1.5 that the Adaptive Cards parser accepts', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    await adapter.send(envelope(EVERY_KIND));
    const cards = connector.posted.flatMap((posted) =>
      (posted.body.attachments ?? []).map((attachment: { content: object }) => attachment.content),
    );
    expect(cards.length).toBeGreaterThanOrEqual(8);
    for (const card of cards) expect(adaptiveCardProblems(card), JSON.stringify(card)).toEqual([]);
    const carousel = connector.posted.find((posted) => posted.body.attachmentLayout === 'carousel');
    expect(carousel?.body.attachments).toHaveLength(2);
  });

  it('the Adaptive Cards parser does catch a card Teams would not render', () => {
    expect(
      adaptiveCardProblems({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'Bogus' }, { type: 'TextBlock', text: 'x', weight: 'Heavy' }],
      }),
    ).toHaveLength(2);
  });

  it('renders actions as Action.Submit by default and Action.Execute when configured', async () => {
    connector.reset();
    await createTeamsAdapter(baseOptions).send(envelope('::: actions\n- Yes\n:::'));
    await createTeamsAdapter({ ...baseOptions, cardActions: 'execute' }).send(
      envelope('::: actions\n- Yes\n:::'),
    );
    const actions = connector.posted.map((posted) => posted.body.attachments[0].content.actions[0]);
    expect(actions).toMatchObject([
      { type: 'Action.Submit', title: 'Yes', data: { threadline: { label: 'Yes' } } },
      { type: 'Action.Execute', title: 'Yes', verb: 'threadline.choose' },
    ]);
  });

  it('shows what cards cannot (a WhatsApp flow) as text', async () => {
    connector.reset();
    await createTeamsAdapter(baseOptions).send(
      envelope('Book here:\n::: flow\nflow_id=123\nflow_cta=Book\n:::'),
    );
    expect(connector.posted.map((posted) => posted.body.attachments)).toEqual([undefined]);
    expect(connector.posted[0]?.body.text).toContain('Book here:');
  });

  it('refuses a recipient without a stored reference as unreachable, with no HTTP call', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    await expect(adapter.send(envelope('hi', null))).rejects.toMatchObject({
      category: 'unreachable',
      retryable: false,
    });
    expect(connector.requests).toEqual([]);
  });

  it('refuses a reference whose service URL is not allowed, with no HTTP call (no token leaves)', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    const forged = { ...MEGAN_REFERENCE, serviceUrl: 'https://evil.example.test/' };
    await expect(adapter.send(envelope('hi', forged))).rejects.toMatchObject({
      category: 'invalid_request',
    });
    expect(connector.requests).toEqual([]);
  });

  it('a retry after a partial send resumes after the parts already posted', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    const message = envelope('First\n::: actions\n- Yes\n:::');
    connector.respondWith(() => HttpResponse.json({ id: '1:first' }, { status: 201 }));
    connector.fail(502, 'BadGateway');
    await expect(adapter.send(message)).rejects.toMatchObject({ category: 'provider' });
    const result = await adapter.send(message);
    expect(result.providerMessageIds).toEqual(['1:first', '1:activity-1']);
    expect(connector.posted).toHaveLength(1);
  });

  it('sends typing through the reference it last saw for the address', async () => {
    connector.reset();
    const adapter = createTeamsAdapter(baseOptions);
    await adapter.sendTyping({
      to: { address: personalMessage.from.id, reference: MEGAN_REFERENCE },
    });
    expect(connector.posted.map((posted) => posted.body.type)).toEqual(['typing']);
  });
});

describe('streamed replies', () => {
  async function* chunks(clock: ReturnType<typeof createFakeClock>, parts: string[]) {
    for (const part of parts) {
      clock.advance(1_000);
      yield part;
    }
  }

  it('in a personal chat: informative, streaming updates with the text so far, then final', async () => {
    connector.reset();
    const clock = createFakeClock();
    const adapter = createTeamsAdapter({ ...baseOptions, clock });
    const { text: _none, ...base } = envelope('');
    const result = await adapter.send({
      ...base,
      stream: chunks(clock, ['Hello', ' there', '!']),
    });
    const bodies = connector.posted.map((posted) => posted.body);
    expect(bodies.map((body) => [body.type, body.channelData?.streamType])).toEqual([
      ['typing', 'informative'],
      ['typing', 'streaming'],
      ['typing', 'streaming'],
      ['typing', 'streaming'],
      ['message', 'final'],
    ]);
    const streamId = '1:activity-1';
    expect(bodies.slice(1).every((body) => body.channelData.streamId === streamId)).toBe(true);
    expect(bodies.map((body) => body.text).slice(1)).toEqual([
      'Hello',
      'Hello there',
      'Hello there!',
      'Hello there!',
    ]);
    expect(bodies[4]?.channelData).toEqual({ streamId, streamType: 'final' });
    expect(result.providerMessageId).toBe('1:activity-5');
  });

  it('outside personal chats: one message updated in place', async () => {
    connector.reset();
    const clock = createFakeClock();
    const adapter = createTeamsAdapter({ ...baseOptions, clock });
    const reference = {
      ...MEGAN_REFERENCE,
      conversation: channelMention.conversation,
      serviceUrl: SERVICE_URL,
    };
    const { text: _none, ...base } = envelope('', reference);
    await adapter.send({
      ...base,
      stream: chunks(clock, ['Hello', ' team']),
    });
    expect(connector.posted.map((posted) => [posted.method, posted.body.text])).toEqual([
      ['POST', 'Hello'],
      ['PUT', 'Hello team'],
      ['PUT', 'Hello team'],
    ]);
  });
});
