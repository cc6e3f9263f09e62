import {
  type AdapterContext,
  DeliveryError,
  type OutboundEnvelope,
  silentLogger,
  type ThreadStore,
} from '@threadline/core';
import { describe, expect, it } from 'vitest';
import {
  createFakeClock,
  createRecordingSink,
  createTestAdapter,
  deriveTestCapabilities,
  runAdapterConformance,
  testCapabilityVariants,
} from '../../src/index';
import { testAdapterConformance } from './fixtures';

const generous = testAdapterConformance();
runAdapterConformance(generous.factory, { name: 'test adapter', ...generous.fixtures });

/** Tight limits everywhere, so every fallback and limit check of the suite is exercised. */
const restrictive = deriveTestCapabilities(
  {
    text: { maxLength: 160, maxParts: 10 },
    components: { 'list-item': { mode: 'native', max: 2, maxLabelLength: 12 } },
  },
  testCapabilityVariants.restrictive,
);
const tight = testAdapterConformance(restrictive);
runAdapterConformance(tight.factory, { name: 'test adapter, restrictive', ...tight.fixtures });

const whatsapp = testAdapterConformance(testCapabilityVariants.templateOnly);
runAdapterConformance(whatsapp.factory, {
  name: 'test adapter, template-only',
  ...whatsapp.fixtures,
});

const envelope = (text: string, extra: Partial<OutboundEnvelope> = {}): OutboundEnvelope => ({
  deliveryId: 'd-1',
  to: { address: '+15550001' },
  text,
  ...extra,
});

function contextWith(sink = createRecordingSink()): AdapterContext {
  return {
    sink,
    store: {} as ThreadStore,
    agentId: 'default',
    clock: createFakeClock(),
    logger: silentLogger,
  };
}

describe('createTestAdapter: send', () => {
  it('records what it sent and returns test-msg ids', async () => {
    const adapter = createTestAdapter();
    const result = await adapter.send(envelope('Pick one:\n::: actions\n- Yes\n- No\n:::'));
    expect(result).toEqual({
      providerMessageId: 'test-msg-1',
      providerMessageIds: ['test-msg-1', 'test-msg-2'],
      status: 'accepted',
      address: '+15550001',
    });
    expect(adapter.sent).toHaveLength(1);
    expect(adapter.sent[0]?.segments).toEqual([
      { type: 'text', text: 'Pick one:' },
      {
        type: 'component',
        part: { type: 'actions', actions: [{ label: 'Yes' }, { label: 'No' }] },
      },
    ]);
    expect(adapter.calls).toBe(1);
  });

  it('renders components as text where its capabilities say fallback', async () => {
    const adapter = createTestAdapter({ capabilities: testCapabilityVariants.restrictive });
    await adapter.send(envelope('::: links\n[Docs](https://example.com/docs)\n:::'));
    expect(adapter.sent[0]?.segments).toEqual([
      { type: 'text', text: 'Docs: https://example.com/docs' },
    ]);
  });

  it('fails the next sends with failNext, counting every call', async () => {
    const adapter = createTestAdapter();
    const boom = new DeliveryError('down', {
      category: 'provider',
      provider: 'test',
      retryable: true,
    });
    adapter.failNext(boom, 2);
    await expect(adapter.send(envelope('a'))).rejects.toBe(boom);
    await expect(adapter.send(envelope('b'))).rejects.toBe(boom);
    await expect(adapter.send(envelope('c'))).resolves.toMatchObject({
      providerMessageId: 'test-msg-1',
    });
    expect(adapter.calls).toBe(3);
    expect(adapter.sent.map((record) => record.envelope.text)).toEqual(['c']);
  });

  it('builds the error from the envelope when failNext is given a function', async () => {
    const adapter = createTestAdapter();
    adapter.failNext((sent) => new Error(`refused ${sent.deliveryId}`));
    await expect(adapter.send(envelope('a'))).rejects.toThrow('refused d-1');
  });

  it('throws a DeliveryError of the category with failNextWith', async () => {
    const adapter = createTestAdapter();
    adapter.failNextWith('throttled', { retryAfterMs: 1_500 });
    adapter.failNextWith('auth');
    await expect(adapter.send(envelope('a'))).rejects.toMatchObject({
      name: 'DeliveryError',
      category: 'throttled',
      provider: 'test',
      retryable: true,
      retryAfterMs: 1_500,
    });
    await expect(adapter.send(envelope('b'))).rejects.toMatchObject({
      category: 'auth',
      retryable: false,
    });
  });

  it('lets onSend hold a send in flight', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const adapter = createTestAdapter({
      onSend: (_envelope, call) => (call === 1 ? held : undefined),
    });
    const first = adapter.send(envelope('first'));
    await adapter.send(envelope('second'));
    expect(adapter.sent.map((record) => record.envelope.text)).toEqual(['second']);
    release();
    await first;
    expect(adapter.sent.map((record) => record.envelope.text)).toEqual(['second', 'first']);
  });

  it('forgets sends, calls and programmed failures on reset', async () => {
    const adapter = createTestAdapter();
    await adapter.send(envelope('a'));
    adapter.failNextWith('provider');
    adapter.reset();
    await expect(adapter.send(envelope('b'))).resolves.toMatchObject({
      providerMessageId: 'test-msg-2',
    });
    expect(adapter.sent).toHaveLength(1);
    expect(adapter.calls).toBe(1);
  });

  it('refuses a message that renders to nothing (navigate on a channel that drops it)', async () => {
    const adapter = createTestAdapter({ capabilities: testCapabilityVariants.restrictive });
    const sent = adapter.send(envelope('::: navigate\n![navigate](/orders?id=1)\n:::'));
    await expect(sent).rejects.toMatchObject({ category: 'invalid_request', retryable: false });
  });

  it('sends templates only where templates are supported', async () => {
    const template = { name: 'reminder', languageCode: 'en_US' };
    const whatsapp = createTestAdapter({ capabilities: testCapabilityVariants.templateOnly });
    await expect(whatsapp.send(envelope('', { template }))).resolves.toMatchObject({
      providerMessageId: 'test-msg-1',
    });
    expect(whatsapp.sent[0]?.envelope.template).toEqual(template);
    const sms = createTestAdapter({ capabilities: testCapabilityVariants.restrictive });
    await expect(sms.send(envelope('', { template }))).rejects.toMatchObject({
      category: 'template',
    });
  });

  it('refuses media its capabilities do not list', async () => {
    const adapter = createTestAdapter({
      capabilities: deriveTestCapabilities({ media: { video: undefined } }),
    });
    const media = [{ kind: 'video' as const, url: 'https://example.com/v.mp4' }];
    await expect(adapter.send(envelope('clip', { media }))).rejects.toMatchObject({
      category: 'media',
    });
  });

  it('records the chunks of a streamed message and sends the finished text', async () => {
    async function* chunks() {
      yield 'Hel';
      yield 'lo';
    }
    const adapter = createTestAdapter();
    await adapter.send({ deliveryId: 'd-1', to: { address: 'x' }, stream: chunks() });
    expect(adapter.sent[0]?.streamed).toEqual(['Hel', 'lo']);
    expect(adapter.sent[0]?.segments).toEqual([{ type: 'text', text: 'Hello' }]);
  });
});

describe('createTestAdapter: receive', () => {
  it('throws a clear error when receive is called before start', async () => {
    const adapter = createTestAdapter({ id: 'loop' });
    await expect(adapter.receive({ from: '+15550001', text: 'hi' })).rejects.toThrow(
      'Test adapter "loop" is not started: call adapter.start(context) before receive()',
    );
  });

  it('emits a message event into the started sink, timestamped by its clock', async () => {
    const clock = createFakeClock();
    const adapter = createTestAdapter({ clock, channel: 'sms' });
    const sink = createRecordingSink();
    await adapter.start(contextWith(sink));
    const event = await adapter.receive({ from: '+15550001', text: 'hi' });
    expect(sink.events).toEqual([event]);
    expect(event).toEqual({
      type: 'message',
      adapterId: 'test',
      channel: 'sms',
      message: {
        providerMessageId: expect.stringMatching(/^test-in-[0-9a-f-]{36}$/),
        from: { address: '+15550001' },
        timestamp: clock.date(),
        text: 'hi',
      },
    });
  });

  it('stops emitting after stop', async () => {
    const adapter = createTestAdapter();
    await adapter.start(contextWith());
    await adapter.stop();
    expect(adapter.started).toBe(false);
    await expect(adapter.receive({ from: 'a', text: 'b' })).rejects.toThrow('is not started');
  });
});

describe('createTestAdapter: actions', () => {
  it('records markRead, sendTyping and react when its capabilities claim them', async () => {
    const adapter = createTestAdapter();
    await adapter.markRead?.({ to: { address: 'a' }, providerMessageId: 'in-1' });
    await adapter.sendTyping?.({ to: { address: 'a' } });
    const reaction = await adapter.react?.({
      to: { address: 'a' },
      providerMessageId: 'in-1',
      emoji: '👍',
    });
    expect(reaction?.providerMessageId).toBe('test-msg-1');
    expect(adapter.actions.map((action) => action.type)).toEqual(['markRead', 'typing', 'react']);
  });

  it('has no markRead, sendTyping or react when its capabilities do not claim them', () => {
    const adapter = createTestAdapter({ capabilities: testCapabilityVariants.restrictive });
    expect([adapter.markRead, adapter.sendTyping, adapter.react]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('deriveTestCapabilities', () => {
  it('merges a patch and validates the result', () => {
    const derived = deriveTestCapabilities({ text: { maxLength: 10 } });
    expect(derived.text).toEqual({ maxLength: 10, format: 'markdown' });
    expect(() => deriveTestCapabilities({ text: { maxLength: -1 } })).toThrow();
  });
});
