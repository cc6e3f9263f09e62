import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_AGENT_AUTHOR } from '../../src/index';
import { HOUR } from './harness';
import { createTagHarness } from './tag-window';

const PSID = '1254459154682919';
type H = Awaited<ReturnType<typeof createTagHarness>>;

describe('receipts by watermark', () => {
  let h: H;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('advances every delivery sent before the watermark at once, and none sent after', async () => {
    h = await createTagHarness();
    await h.messenger.receive({ from: PSID, text: 'hi' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      ids.push(
        (await h.threadline.channels.send({ channel: 'messenger', to: { userId }, text }))
          .deliveryId,
      );
      h.clock.advance(1_000);
    }
    const watermark = new Date(h.clock.now() - 1_500); // after 'two', before 'three'
    h.clock.advance(1_000);

    const delivered = await h.sink().emit({
      type: 'status-watermark',
      adapterId: 'page',
      channel: 'messenger',
      status: 'delivered',
      address: PSID,
      watermark,
      timestamp: new Date(h.clock.now()),
    });
    expect(delivered).toMatchObject({ recorded: true, userId });
    const statuses = async () =>
      Promise.all(ids.map(async (id) => (await h.threadline.deliveries.get(id))?.status));
    expect(await statuses()).toEqual(['delivered', 'delivered', 'accepted']);

    const read = await h.sink().emit({
      type: 'status-watermark',
      adapterId: 'page',
      channel: 'messenger',
      status: 'read',
      address: PSID,
      watermark: new Date(h.clock.now()),
      timestamp: new Date(h.clock.now()),
    });
    expect(read.recorded).toBe(true);
    expect(await statuses()).toEqual(['read', 'read', 'read']);

    // A late delivery watermark never moves a read delivery back.
    const late = await h.sink().emit({
      type: 'status-watermark',
      adapterId: 'page',
      channel: 'messenger',
      status: 'delivered',
      address: PSID,
      watermark: new Date(h.clock.now()),
      timestamp: new Date(h.clock.now()),
    });
    expect(late.recorded).toBe(false);
    expect(await statuses()).toEqual(['read', 'read', 'read']);
  });

  it('records nothing for an address nobody knows', async () => {
    h = await createTagHarness();
    const receipt = await h.sink().emit({
      type: 'status-watermark',
      adapterId: 'page',
      channel: 'messenger',
      status: 'read',
      address: '999',
      watermark: new Date(h.clock.now()),
      timestamp: new Date(h.clock.now()),
    });
    expect(receipt.recorded).toBe(false);
  });
});

describe('echoes of messages the business sent', () => {
  let h: H;
  afterEach(async () => {
    await h.threadline.stop();
  });

  const echo = (mid: string, text: string, at: number) => ({
    type: 'echo' as const,
    adapterId: 'page',
    channel: 'messenger',
    to: { address: PSID },
    sentBy: '263902037430900',
    message: { providerMessageId: mid, from: { address: 'PAGE' }, text, timestamp: new Date(at) },
  });

  it("records a person's reply from the inbox once, as a human agent's outbound entry, and sends nothing", async () => {
    h = await createTagHarness();
    await h.messenger.receive({ from: PSID, text: 'is anyone there?' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;
    h.clock.advance(HOUR);

    const first = await h.sink().emit(echo('m_human_1', 'Yes, Sam here', h.clock.now()));
    const again = await h.sink().emit(echo('m_human_1', 'Yes, Sam here', h.clock.now()));
    expect(first.recorded).toBe(true);
    expect(again).toMatchObject({ recorded: false, duplicate: true });

    const thread = await h.threadline.users.get(userId).thread();
    expect(thread.map((e) => [e.direction, e.text, e.metadata?.author])).toEqual([
      ['inbound', 'is anyone there?', undefined],
      ['outbound', 'Yes, Sam here', HUMAN_AGENT_AUTHOR],
    ]);
    await h.threadline.runDue();
    expect(h.messenger.calls).toBe(0);
    expect(await h.threadline.deliveries.list()).toHaveLength(0);
    // The echo is not the user writing: the window and the agent are untouched.
    expect(h.turns).toHaveLength(1);
  });

  it('skips the echo of a message Threadline sent itself', async () => {
    h = await createTagHarness();
    await h.messenger.receive({ from: PSID, text: 'hi' });
    await h.threadline.idle();
    const userId = h.turns[0]?.user.id as string;
    const sent = await h.threadline.channels.send({
      channel: 'messenger',
      to: { userId },
      text: 'from the agent',
    });

    const receipt = await h
      .sink()
      .emit(echo(sent.messageId as string, 'from the agent', h.clock.now()));
    expect(receipt).toMatchObject({ recorded: false, duplicate: true });
    const thread = await h.threadline.users.get(userId).thread();
    expect(thread.map((e) => e.text)).toEqual(['hi', 'from the agent']);
  });
});
