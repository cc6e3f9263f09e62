import { afterEach, describe, expect, it } from 'vitest';
import {
  NotReachableError,
  usableWindowTag,
  ValidationError,
  WindowClosedError,
} from '../../src/index';
import { HOUR } from './harness';
import { createTagHarness } from './tag-window';

const PSID = '1254459154682919';
type H = Awaited<ReturnType<typeof createTagHarness>>;

describe('message tags outside the session window', () => {
  let h: H;
  afterEach(async () => {
    await h.threadline.stop();
  });

  async function wrote(): Promise<string> {
    await h.messenger.receive({ from: PSID, text: 'hi' });
    await h.threadline.idle();
    return h.turns[0]?.user.id as string;
  }

  it('refuses a warm-only send before the user ever wrote', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const user = await h.threadline.users.create({});
    await expect(
      h.threadline.channels.send({ channel: 'messenger', to: { userId: user.id }, text: 'hello' }),
    ).rejects.toBeInstanceOf(NotReachableError);
    expect(h.messenger.calls).toBe(0);
  });

  it('sends without a tag inside the window', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const userId = await wrote();
    h.clock.advance(23 * HOUR);
    const result = await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'soon',
    });
    expect(result.delivered).toBe(true);
    expect(h.messenger.sent[0]?.envelope.tag).toBeUndefined();
    expect((await h.threadline.deliveries.get(result.deliveryId))?.payload.tag).toBeUndefined();
  });

  it('sends with HUMAN_AGENT after 24 h and records the tag on the delivery', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const userId = await wrote();
    h.clock.advance(25 * HOUR);
    const result = await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'a person here',
    });
    expect(result).toMatchObject({ delivered: true, persisted: true });
    expect(result.queued).toBeUndefined();
    expect(h.messenger.sent[0]?.envelope.tag).toBe('HUMAN_AGENT');
    expect((await h.threadline.deliveries.get(result.deliveryId))?.payload.tag).toBe('HUMAN_AGENT');
  });

  it('holds the text once HUMAN_AGENT is past its 7 days, and sends it when the user writes', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const userId = await wrote();
    h.clock.advance(169 * HOUR);
    const result = await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'held',
    });
    expect(result).toMatchObject({ queued: true, delivered: false });
    expect(result.warning).toMatch(/waits until the user writes/);
    expect(h.messenger.calls).toBe(0);

    await h.messenger.receive({ from: PSID, text: 'back' });
    await h.threadline.idle();
    await h.threadline.runDue();
    expect(h.messenger.sent.map((s) => [s.envelope.text, s.envelope.tag])).toEqual([
      ['held', undefined],
    ]);
  });

  it('uses an untimed tag at any age when the app may, and the one the send asks for', async () => {
    h = await createTagHarness(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE']);
    const userId = await wrote();
    h.clock.advance(48 * HOUR);
    await h.threadline.channels.send({ channel: 'messenger', to: { userId }, text: 'a' });
    await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'b',
      options: { tag: 'CONFIRMED_EVENT_UPDATE' },
    });
    h.clock.advance(30 * 24 * HOUR);
    await h.threadline.channels.send({ channel: 'messenger', to: { userId }, text: 'c' });
    expect(h.messenger.sent.map((s) => s.envelope.tag)).toEqual([
      'HUMAN_AGENT',
      'CONFIRMED_EVENT_UPDATE',
      'CONFIRMED_EVENT_UPDATE',
    ]);
  });

  it('fails with WindowClosedError when no tag applies and the send says fail', async () => {
    h = await createTagHarness([]);
    const userId = await wrote();
    h.clock.advance(25 * HOUR);
    await expect(
      h.threadline.channels.send({
        channel: 'messenger',
        to: { userId },
        text: 'late',
        options: { onClosedWindow: 'fail' },
      }),
    ).rejects.toBeInstanceOf(WindowClosedError);
    expect(h.messenger.calls).toBe(0);
  });

  it('refuses a tag the adapter may not use, naming options.tag', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const userId = await wrote();
    await expect(
      h.threadline.channels.send({
        channel: 'messenger',
        to: { userId },
        text: 'x',
        options: { tag: 'ACCOUNT_UPDATE' },
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      h.threadline.channels.send({
        channel: 'messenger',
        to: { userId },
        text: 'x',
        options: { tag: 'ACCOUNT_UPDATE' },
      }),
    ).rejects.toThrow(/options\.tag/);
  });

  it('does not resend a tagged retry once the tag has run out: it is held instead', async () => {
    h = await createTagHarness(['HUMAN_AGENT']);
    const userId = await wrote();
    h.clock.advance(167 * HOUR);
    h.messenger.failNextWith('provider', { retryable: true });
    const result = await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'retry me',
    });
    expect(result.status).toBe('queued');
    h.clock.advance(2 * HOUR);
    await h.threadline.runDue();
    expect(h.messenger.sent).toHaveLength(0);
    expect((await h.store.held.list(userId)).map((held) => held.deliveryId)).toEqual([
      result.deliveryId,
    ]);
  });
});

describe('usableWindowTag', () => {
  const window = {
    hours: 24,
    outside: 'tag' as const,
    tags: [
      { name: 'HUMAN_AGENT', hours: 168, use: 'a person answers' },
      { name: 'ACCOUNT_UPDATE', use: 'account changes' },
    ],
  };
  const last = new Date('2026-12-01T00:00:00Z');

  it('needs the window to allow tags, the tag declared and allowed, and within its hours', () => {
    const now = last.getTime() + 100 * HOUR;
    expect(usableWindowTag({ window, allowed: ['HUMAN_AGENT'], lastInboundAt: last, now })).toBe(
      'HUMAN_AGENT',
    );
    expect(
      usableWindowTag({
        window: { ...window, outside: 'template' },
        allowed: ['HUMAN_AGENT'],
        lastInboundAt: last,
        now,
      }),
    ).toBeUndefined();
    expect(
      usableWindowTag({ window, allowed: ['POST_PURCHASE_UPDATE'], lastInboundAt: last, now }),
    ).toBeUndefined();
    expect(
      usableWindowTag({ window, allowed: undefined, lastInboundAt: last, now }),
    ).toBeUndefined();
    expect(
      usableWindowTag({
        window,
        allowed: ['HUMAN_AGENT'],
        lastInboundAt: last,
        now: last.getTime() + 168 * HOUR,
      }),
    ).toBeUndefined();
    expect(
      usableWindowTag({
        window,
        allowed: ['HUMAN_AGENT', 'ACCOUNT_UPDATE'],
        lastInboundAt: last,
        now: last.getTime() + 200 * HOUR,
      }),
    ).toBe('ACCOUNT_UPDATE');
    expect(
      usableWindowTag({
        window,
        allowed: ['HUMAN_AGENT', 'ACCOUNT_UPDATE'],
        requested: 'ACCOUNT_UPDATE',
        lastInboundAt: last,
        now,
      }),
    ).toBe('ACCOUNT_UPDATE');
  });
});
