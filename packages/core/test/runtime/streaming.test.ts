import { createFakeClock, createTestAdapter, testCapabilities } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, EventSink } from '../../src/index';
import { createChannels, createHarness, type Harness } from './harness';

async function* words(...parts: string[]): AsyncIterable<string> {
  for (const part of parts) {
    await new Promise((resolve) => setImmediate(resolve));
    yield part;
  }
}

describe('streamed replies and channel-authenticated senders', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  async function withWebchat() {
    const clock = createFakeClock();
    const channels = createChannels(clock);
    const webchat = createTestAdapter({
      id: 'web',
      channel: 'webchat',
      clock,
      capabilities: testCapabilities,
    });
    h = await createHarness({
      clock,
      channels,
      adapters: [...Object.values(channels), webchat],
      async onMessage({ reply }) {
        await reply(words('Let me ', 'check… ', 'done.'));
      },
    });
    return webchat;
  }

  it('streams to a channel that can show it, and records the finished text', async () => {
    const webchat = await withWebchat();
    await webchat.receive({ from: 'visitor-1', text: 'status?' });
    await h.threadline.idle();

    expect(webchat.sent[0]?.streamed).toEqual(['Let me ', 'check… ', 'done.']);
    const identity = await h.store.identities.get({ channel: 'webchat', address: 'visitor-1' });
    const thread = await h.threadline.users.get(identity?.userId as string).thread();
    expect(thread.map((entry) => entry.text)).toEqual(['status?', 'Let me check… done.']);
    const [delivery] = await h.threadline.deliveries.list({ channel: 'webchat' });
    expect(delivery?.status).toBe('accepted');
  });

  it('sends the finished text once to a channel that cannot stream', async () => {
    h = await createHarness({
      async onMessage({ reply }) {
        await reply(words('one ', 'two'));
      },
    });
    await h.channels.sms.receive({ from: '+447700900123', text: 'hi' });
    await h.threadline.idle();

    expect(h.channels.sms.sent.map((sent) => [sent.envelope.text, sent.streamed])).toEqual([
      ['one two', undefined],
    ]);
  });

  it('falls back to one ordinary message when the stream fails on the way out', async () => {
    const webchat = await withWebchat();
    webchat.failNextWith('provider');
    await webchat.receive({ from: 'visitor-2', text: 'hello' });
    await h.threadline.idle();

    expect(webchat.sent.map((sent) => sent.envelope.text)).toEqual(['Let me check… done.']);
    const deliveries = await h.threadline.deliveries.list({ channel: 'webchat' });
    expect(deliveries.map((delivery) => delivery.status).sort()).toEqual(['accepted', 'failed']);
  });

  it('tells the adapter which thread entry a message is', async () => {
    const webchat = await withWebchat();
    await webchat.receive({ from: 'visitor-9', text: 'first' });
    await h.threadline.idle();
    const identity = await h.store.identities.get({ channel: 'webchat', address: 'visitor-9' });

    const sent = await h.threadline.channels.send({
      channel: 'webchat',
      to: { userId: identity?.userId as string },
      text: 'proactive',
    });

    const envelope = webchat.sent.find(
      (message) => message.envelope.deliveryId === sent.deliveryId,
    )?.envelope;
    const thread = await h.threadline.users.get(identity?.userId as string).thread();
    expect(envelope?.entry).toEqual({ threadId: thread[0]?.threadId, seq: thread.at(-1)?.seq });
    expect(thread.at(-1)?.text).toBe('proactive');
  });

  it('binds a sender the adapter authenticated to that user, and acknowledges with the seq', async () => {
    let sink: EventSink | undefined;
    const web: ChannelAdapter = {
      id: 'web-auth',
      channel: 'webchat',
      provider: 'test',
      capabilities: testCapabilities,
      send: async () => ({ providerMessageId: 'unused' }),
      start: async (context) => {
        sink = context.sink;
      },
    };
    const clock = createFakeClock();
    h = await createHarness({ clock, adapters: [web] });
    const event = {
      type: 'message' as const,
      adapterId: 'web-auth',
      channel: 'webchat',
      userId: 'member-42',
      message: {
        providerMessageId: 'visitor-9:c-1',
        from: { address: 'visitor-9' },
        timestamp: new Date(clock.now()),
        text: 'hi',
      },
    };

    const first = await sink?.emit(event);
    const again = await sink?.emit(event);

    expect(first).toMatchObject({ recorded: true, userId: 'member-42', seq: 1 });
    expect(again).toEqual({ recorded: false, duplicate: true });
    expect(
      await h.store.identities.get({ channel: 'webchat', address: 'visitor-9' }),
    ).toMatchObject({ userId: 'member-42' });
    expect(await h.threadline.users.find('member-42')).not.toBeNull();
  });
});
