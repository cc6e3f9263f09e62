import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, NotReachableError, OptedOutError, ValidationError } from '../../src/index';
import { createHarness, type Harness, HOUR } from './harness';

const ANN = '+447700900123';

describe('proactive sends', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('creates the user and thread for a cold SMS number', async () => {
    h = await createHarness();
    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: '+44 7700 900123' },
      text: 'Welcome!',
    });

    expect(result).toMatchObject({
      delivered: true,
      persisted: true,
      identifier: ANN,
      from: 'sms',
    });
    const user = await h.threadline.users.find(result.userId as string);
    expect(user).not.toBeNull();
    const thread = await h.threadline.users.get(result.userId as string).thread();
    expect(thread.map((entry) => [entry.direction, entry.text, entry.deliveryId])).toEqual([
      ['outbound', 'Welcome!', result.deliveryId],
    ]);
  });

  it('refuses an opted-out address without calling the provider', async () => {
    h = await createHarness();
    await h.channels.sms.receive({ from: ANN, text: 'STOP' });
    await h.threadline.idle();

    await expect(
      h.threadline.channels.send({ channel: 'sms', to: { phoneNumber: ANN }, text: 'sale!' }),
    ).rejects.toBeInstanceOf(OptedOutError);
    expect(h.channels.sms.calls).toBe(0);
  });

  it('refuses a warm-only channel without a prior conversation', async () => {
    h = await createHarness();
    const user = await h.threadline.users.create({ phoneNumbers: [ANN] });

    await expect(
      h.threadline.channels.send({ channel: 'teams', to: { userId: user.id }, text: 'hello' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(h.channels.teams.calls).toBe(0);
  });

  it('reaches a warm-only user once they have written', async () => {
    h = await createHarness();
    await h.channels.teams.receive({ from: '29:megan', text: 'hi bot' });
    await h.threadline.idle();
    h.clock.advance(HOUR);

    const result = await h.threadline.channels.send({
      channel: 'teams',
      to: { userId: h.turns[0]?.user.id as string },
      text: 'standup in 5',
    });
    expect(result.delivered).toBe(true);
  });

  it('sends users.get(id).send to the channel the user last wrote on', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'on whatsapp' });
    h.clock.advance(60_000);
    await h.channels.sms.receive({ from: ANN, text: 'now on sms' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;

    const [result] = await h.threadline.users.get(userId).send([{ type: 'text', text: 'got it' }]);

    expect(result?.from).toBe('sms');
    expect(h.channels.sms.sent.map((sent) => sent.envelope.text)).toEqual(['got it']);
    expect(h.channels.whatsapp.sent).toHaveLength(0);
  });

  it('replays an idempotency key with the first delivery and sends nothing new', async () => {
    h = await createHarness();
    const send = () =>
      h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: ANN },
        text: 'once',
        options: { idempotencyKey: 'order-42' },
      });
    const first = await send();
    const again = await send();

    expect(again.deliveryId).toBe(first.deliveryId);
    expect(again.status).toBe(first.status);
    expect(h.channels.sms.calls).toBe(1);
  });

  it('pins the sender with from, else keeps the one that last served the user', async () => {
    const { createChannels } = await import('./harness');
    const { createFakeClock, createTestAdapter } = await import('@threadline/testkit');
    const clock = createFakeClock();
    const channels = createChannels(clock);
    const second = createTestAdapter({
      id: 'sms-2',
      channel: 'sms',
      clock,
      capabilities: channels.sms.capabilities,
    });
    h = await createHarness({ clock, channels, adapters: [...Object.values(channels), second] });

    await second.receive({ from: ANN, text: 'via the second number' });
    await h.threadline.idle();
    const remembered = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'a',
    });
    const pinned = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'b',
      from: 'sms',
    });

    expect(remembered.from).toBe('sms-2');
    expect(pinned.from).toBe('sms');
    await expect(
      h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: ANN },
        text: 'c',
        from: 'wa',
      }),
    ).rejects.toThrow(/from: adapter "wa" serves whatsapp, not sms/);
  });

  it('schedules a send for later with sendAt', async () => {
    h = await createHarness();
    const sendAt = new Date(h.clock.now() + HOUR);
    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'later',
      options: { sendAt },
    });

    expect(result).toMatchObject({ status: 'queued', delivered: false });
    await h.threadline.runDue();
    expect(h.channels.sms.calls).toBe(0);
    h.clock.advance(HOUR);
    await h.threadline.runDue();
    expect(h.channels.sms.sent.map((sent) => sent.envelope.text)).toEqual(['later']);
  });

  it('sends email with subject, cc and threading headers', async () => {
    h = await createHarness();
    const result = await h.threadline.channels.email.send({
      to: { email: 'Ann@Example.com' },
      subject: 'Your receipt',
      text: 'Thanks for your order.',
      cc: ['accounts@example.com'],
      inReplyTo: '<abc@example.com>',
      references: ['<abc@example.com>'],
    });

    expect(result.identifier).toBe('ann@example.com');
    expect(h.channels.email.sent[0]?.envelope).toMatchObject({
      text: 'Thanks for your order.',
      email: {
        subject: 'Your receipt',
        cc: ['accounts@example.com'],
        inReplyTo: '<abc@example.com>',
      },
    });
  });

  it('rejects bad recipients and inputs with errors that name the field', async () => {
    h = await createHarness();
    const cases: Array<[unknown, RegExp]> = [
      [
        { channel: 'sms', to: {}, text: 'x' },
        /to: give exactly one of userId, phoneNumber, email, conversationId/,
      ],
      [
        { channel: 'sms', to: { userId: 'u', phoneNumber: ANN }, text: 'x' },
        /to: give exactly one/,
      ],
      [{ channel: 'sms', to: { fax: '123' }, text: 'x' }, /to: Unrecognized key/],
      [
        { channel: 'email', to: { phoneNumber: ANN }, text: 'x' },
        /to.phoneNumber: email does not accept phoneNumber/,
      ],
      [
        { channel: 'sms', to: { phoneNumber: '07700 900123' }, text: 'x' },
        /to.phoneNumber: "07700 900123" is not an E.164/,
      ],
      [{ channel: 'sms', to: { phoneNumber: ANN }, text: '   ' }, /text: text is empty/],
    ];
    for (const [input, message] of cases) {
      const error = await h.threadline.channels
        .send(input as never)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    await expect(
      h.threadline.channels.send({ channel: 'sms', to: { userId: 'nobody' }, text: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.threadline.channels.send({ channel: 'fax', to: { userId: 'u' }, text: 'x' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(await h.threadline.deliveries.list()).toHaveLength(0);
  });
});
