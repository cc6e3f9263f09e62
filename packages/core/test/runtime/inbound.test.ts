import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, HOUR } from './harness';

const ANN = '+447700900123';

describe('the inbound pipeline', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('creates the user and thread on first contact and wakes the agent with the message', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: '447700900123', text: 'hello there', name: 'Ann' });
    await h.threadline.idle();

    expect(h.turns).toHaveLength(1);
    const [turn] = h.turns;
    expect(turn?.message).toMatchObject({
      text: 'hello there',
      channel: 'whatsapp',
      adapterId: 'wa',
      seq: 1,
    });
    expect(turn?.thread.entries.map((entry) => entry.text)).toEqual(['hello there']);
    const identity = await h.store.identities.get({ channel: 'whatsapp', address: ANN });
    expect(identity).toMatchObject({ userId: turn?.user.id, lastAdapterId: 'wa' });
    expect(identity?.lastInboundAt?.getTime()).toBe(h.clock.now());
  });

  it('records a duplicate webhook storm once and wakes the agent once', async () => {
    h = await createHarness();
    const body = { events: [{ type: 'message' as const, id: 'wamid.1', from: ANN, text: 'once' }] };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => h.threadline.fetch(h.channels.whatsapp.signedRequest(body))),
    );
    await h.threadline.idle();

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(h.turns).toHaveLength(1);
    const thread = await h.threadline.users.get(h.turns[0]?.user.id as string).thread();
    expect(thread).toHaveLength(1);
  });

  it('handles 20 messages of one thread in order, one turn at a time', async () => {
    let running = 0;
    let overlap = false;
    const seen: string[] = [];
    h = await createHarness({
      async onMessage({ message }) {
        running += 1;
        if (running > 1) overlap = true;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        seen.push(message.text);
        running -= 1;
      },
    });
    const texts = Array.from({ length: 20 }, (_, index) => `message ${index + 1}`);
    await Promise.all(
      texts.map((text, index) =>
        h.channels.whatsapp.receive({ from: ANN, text, id: `wamid.${index}` }),
      ),
    );
    await h.threadline.idle();

    expect(overlap).toBe(false);
    const identity = await h.store.identities.get({ channel: 'whatsapp', address: ANN });
    const thread = await h.threadline.users.get(identity?.userId as string).thread();
    expect(seen).toEqual(thread.map((entry) => entry.text));
    expect([...seen].sort()).toEqual([...texts].sort());
  });

  it('keeps the message and tells onError when the agent throws, then carries on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    h = await createHarness({
      onMessage: () => {
        calls += 1;
        if (calls === 1) throw new Error('model unavailable');
      },
      onError: (error) => errors.push(error),
    });
    await h.channels.whatsapp.receive({ from: ANN, text: 'first' });
    await h.channels.whatsapp.receive({ from: ANN, text: 'second' });
    await h.threadline.idle();

    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('model unavailable');
    const identity = await h.store.identities.get({ channel: 'whatsapp', address: ANN });
    const thread = await h.threadline.users.get(identity?.userId as string).thread();
    expect(thread.map((entry) => entry.text)).toEqual(['first', 'second']);
  });

  it('records STOP as an opt-out without waking the agent, and START opts back in', async () => {
    h = await createHarness();
    await h.channels.sms.receive({ from: ANN, text: ' stop ' });
    await h.threadline.idle();
    expect(h.turns).toHaveLength(0);
    expect(await h.store.consent.isOptedOut({ channel: 'sms', address: ANN })).toBe(true);

    h.clock.advance(1_000);
    await h.channels.sms.receive({ from: ANN, text: 'START' });
    expect(await h.store.consent.isOptedOut({ channel: 'sms', address: ANN })).toBe(false);

    await h.channels.sms.receive({ from: ANN, text: 'stop sending me offers' });
    await h.threadline.idle();
    expect(await h.store.consent.isOptedOut({ channel: 'sms', address: ANN })).toBe(false);
    expect(h.turns).toHaveLength(1);
  });

  it('keeps an opt-out when HELP follows STOP, and does not wake the agent for HELP', async () => {
    h = await createHarness();
    await h.channels.sms.receive({ from: ANN, text: 'STOP' });
    h.clock.advance(1_000);
    await h.channels.sms.receive({ from: ANN, text: 'help' });
    await h.threadline.idle();
    expect(await h.store.consent.isOptedOut({ channel: 'sms', address: ANN })).toBe(true);
    expect(h.turns).toHaveLength(0);
  });

  it('moves deliveries forward on receipts that arrive out of order', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    const sent = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      text: 'receipt test',
    });
    const messageId = sent.messageId as string;
    const statuses: string[] = [];
    h.threadline.on('delivery.status', (event) => statuses.push(event.status));

    for (const status of ['read', 'delivered', 'sent'] as const) {
      await h.threadline.fetch(
        h.channels.whatsapp.signedRequest({ events: [{ type: 'status', id: messageId, status }] }),
      );
    }

    const delivery = await h.threadline.deliveries.get(sent.deliveryId);
    expect(delivery?.status).toBe('read');
    expect(statuses).toEqual(['read']);
  });

  it('wakes the agent days later with the proactive message it sent in the thread', async () => {
    h = await createHarness();
    const proactive = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'Your prescription is ready',
    });
    h.clock.advance(72 * HOUR);
    await h.channels.sms.receive({ from: ANN, text: 'can I pick it up tomorrow?' });
    await h.threadline.idle();

    expect(h.turns[0]?.user.id).toBe(proactive.userId);
    expect(h.turns[0]?.thread.entries.map((entry) => [entry.direction, entry.text])).toEqual([
      ['outbound', 'Your prescription is ready'],
      ['inbound', 'can I pick it up tomorrow?'],
    ]);
  });

  it('lets the agent reply on the channel the message came from', async () => {
    h = await createHarness({
      async onMessage({ message, reply }) {
        await reply(`echo: ${message.text}`);
      },
    });
    await h.channels.sms.receive({ from: ANN, text: 'ping' });
    await h.threadline.idle();

    expect(
      h.channels.sms.sent.map((sent) => [sent.envelope.to.address, sent.envelope.text]),
    ).toEqual([[ANN, 'echo: ping']]);
    expect(h.channels.whatsapp.sent).toHaveLength(0);
  });

  it('treats the same number on WhatsApp and SMS as one person with one thread', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'on whatsapp' });
    await h.channels.sms.receive({ from: ANN, text: 'on sms' });
    await h.threadline.idle();

    expect(new Set(h.turns.map((turn) => turn.user.id)).size).toBe(1);
    expect(h.turns[1]?.thread.entries.map((entry) => entry.channel)).toEqual(['whatsapp', 'sms']);
  });
});
