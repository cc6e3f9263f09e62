import { afterEach, describe, expect, it } from 'vitest';
import { WindowClosedError } from '../../src/index';
import { createHarness, type Harness, HOUR } from './harness';

const ANN = '+447700900123';
const US = '+14155550123';

describe('the WhatsApp session window', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('sends free-form text while the window is open', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    h.clock.advance(23 * HOUR);
    const userId = h.turns[0]?.user.id as string;

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Your table is ready',
    });

    expect(result).toMatchObject({
      delivered: true,
      persisted: true,
      status: 'accepted',
      identifier: ANN,
      userId,
    });
    expect(result.queued).toBeUndefined();
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.text)).toEqual([
      'Your table is ready',
    ]);
  });

  it('queues text behind a closed window, sends the re-engagement template, and delivers the text once after the reply', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;
    h.clock.advance(25 * HOUR);

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'Your order shipped',
    });

    expect(result).toMatchObject({
      queued: true,
      delivered: false,
      persisted: false,
      status: 'queued',
    });
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.template?.name)).toEqual([
      'reopen_chat',
    ]);

    // A second send while still closed queues too, without a second template.
    await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'And a receipt',
    });
    expect(h.channels.whatsapp.sent).toHaveLength(1);

    await h.channels.whatsapp.receive({ from: ANN, text: 'ok, go ahead' });
    await h.threadline.idle();
    await h.threadline.runDue();
    await h.channels.whatsapp.receive({ from: ANN, text: 'thanks' });
    await h.threadline.idle();
    await h.threadline.runDue();

    const texts = h.channels.whatsapp.sent.map(
      (sent) => sent.envelope.text ?? `[${sent.envelope.template?.name}]`,
    );
    expect(texts).toEqual(['[reopen_chat]', 'Your order shipped', 'And a receipt']);
    const delivery = await h.threadline.deliveries.get(result.deliveryId);
    expect(delivery?.status).toBe('accepted');

    const thread = await h.threadline.users.get(userId).thread();
    expect(thread.map((entry) => [entry.direction, entry.text])).toEqual([
      ['inbound', 'hi'],
      ['outbound', '[template reopen_chat]'],
      ['inbound', 'ok, go ahead'],
      ['outbound', 'Your order shipped'],
      ['outbound', 'And a receipt'],
      ['inbound', 'thanks'],
    ]);
  });

  it("fails with WindowClosedError and sends nothing when asked to 'fail'", async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    h.clock.advance(24 * HOUR);

    await expect(
      h.threadline.channels.send({
        channel: 'whatsapp',
        to: { phoneNumber: ANN },
        text: 'late',
        options: { whatsapp: { onClosedWindow: 'fail' } },
      }),
    ).rejects.toBeInstanceOf(WindowClosedError);
    expect(h.channels.whatsapp.calls).toBe(0);
    expect(await h.threadline.deliveries.list()).toHaveLength(0);
  });

  it('reaches a cold number only by template', async () => {
    h = await createHarness();
    const template = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: ANN },
      template: { name: 'appointment_reminder', languageCode: 'en_GB' },
      messageContext: 'Reminded Ann of her 3pm appointment',
    });
    expect(template).toMatchObject({ delivered: true, persisted: true });
    expect(h.channels.whatsapp.sent[0]?.envelope.template).toMatchObject({
      name: 'appointment_reminder',
      languageCode: 'en_GB',
    });

    const thread = await h.threadline.users.get(template.userId as string).thread();
    expect(thread.map((entry) => entry.text)).toEqual(['Reminded Ann of her 3pm appointment']);

    const freeForm = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      text: 'hello?',
    });
    expect(freeForm.queued).toBe(true);
  });

  it('warns when the re-engagement template is MARKETING and the number is American', async () => {
    const { createChannels } = await import('./harness');
    const { createFakeClock } = await import('@threadline/testkit');
    const clock = createFakeClock();
    const channels = createChannels(clock, {
      reEngagementTemplate: { name: 'come_back', languageCode: 'en_US', category: 'MARKETING' },
    });
    h = await createHarness({ clock, channels });

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: US },
      text: 'hello',
    });

    expect(result.queued).toBe(true);
    expect(result.warning).toMatch(/MARKETING.*US \(\+1\)/);
  });

  it('says so when no re-engagement template is configured, and still holds the text', async () => {
    const { createChannels } = await import('./harness');
    const { createFakeClock } = await import('@threadline/testkit');
    const clock = createFakeClock();
    h = await createHarness({
      clock,
      channels: createChannels(clock, { reEngagementTemplate: null }),
    });

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      text: 'hello',
    });

    expect(result).toMatchObject({ queued: true, delivered: false });
    expect(result.warning).toMatch(/no re-engagement template/);
    expect(h.channels.whatsapp.calls).toBe(0);
    expect(await h.store.held.list(result.userId as string)).toHaveLength(1);
  });

  it('holds a message when the provider reports the window closed (131047)', async () => {
    h = await createHarness();
    await h.channels.whatsapp.receive({ from: ANN, text: 'hi' });
    await h.threadline.idle();
    h.channels.whatsapp.failNextWith('window_closed');

    const result = await h.threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: ANN },
      text: 'our clocks disagree',
    });

    expect(result).toMatchObject({ queued: true, delivered: false });
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.template?.name)).toEqual([
      'reopen_chat',
    ]);
  });
});
