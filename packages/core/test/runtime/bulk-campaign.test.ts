import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, waitFor } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannels, createHarness, type Harness } from './harness';

const NUMBERS = Array.from({ length: 60 }, (_, i) => `+4477009${String(i).padStart(5, '0')}`);
const TEMPLATE = { name: 'spring_sale' };
const LEASE_MS = 30_000;

describe('bulk template sends with a campaign key', () => {
  const running: Harness[] = [];
  afterEach(async () => {
    for (const h of running.splice(0)) await h.threadline.stop();
  });

  it('sends to every number exactly once when a crashed campaign is run again', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    // Instance a "crashes" after 20 sends: the 21st to 24th hang in flight for ever, as in a
    // process killed mid-send; nothing else it started ever completes.
    const crashed = createChannels(clock);
    const never = new Promise<void>(() => undefined);
    const onSendA = crashed.whatsapp;
    let attempts = 0;
    const a = await createHarness({
      clock,
      store,
      instanceId: 'a',
      outbox: { pollIntervalMs: 3_600_000, leaseMs: LEASE_MS },
      channels: {
        ...crashed,
        whatsapp: Object.assign(onSendA, {
          send: ((send) => async (envelope: Parameters<typeof send>[0]) => {
            attempts += 1;
            if (attempts > 20) await never;
            return send(envelope);
          })(onSendA.send.bind(onSendA)),
        }),
      },
    });
    void a.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: NUMBERS,
      campaignKey: 'spring-2026',
      concurrency: 4,
    });
    await waitFor(() => attempts === 24, 'the crash');

    const b = await createHarness({
      clock,
      store,
      instanceId: 'b',
      outbox: { pollIntervalMs: 3_600_000, leaseMs: LEASE_MS },
    });
    running.push(b);
    const again = await b.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: NUMBERS,
      campaignKey: 'spring-2026',
    });

    expect(again.errors).toEqual([]);
    expect(again.results).toHaveLength(60);
    expect(again.alreadySent).toBe(24);
    const earlier = again.results.filter((result) => result.alreadySent);
    expect(earlier.filter((result) => result.status === 'accepted')).toHaveLength(20);
    // The four in flight at the crash are still leased to a: the outbox takes them over.
    expect(earlier.filter((result) => result.status === 'queued')).toHaveLength(4);
    clock.advance(LEASE_MS + 1);
    await b.threadline.runDue();

    const sentTo = [...a.channels.whatsapp.sent, ...b.channels.whatsapp.sent].map(
      (sent) => sent.envelope.to.address,
    );
    expect(sentTo.toSorted()).toEqual(NUMBERS);

    const third = await b.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: NUMBERS,
      campaignKey: 'spring-2026',
    });
    expect(third.alreadySent).toBe(60);
    expect(
      third.results.every((result) => result.alreadySent && result.status === 'accepted'),
    ).toBe(true);
    expect(b.channels.whatsapp.sent).toHaveLength(40);
  });

  it('keys each campaign and sender apart, and reports an earlier failure as an error', async () => {
    const h = await createHarness();
    running.push(h);
    h.channels.whatsapp.failNextWith('template', { times: 1 });
    const send = (campaignKey: string) =>
      h.threadline.templates.whatsapp.send({
        from: 'wa',
        template: TEMPLATE,
        phoneNumbers: ['+447700900001', '+447700900002'],
        campaignKey,
        concurrency: 1,
      });

    const first = await send('autumn');
    expect(first.errors.map((error) => error.phoneNumber)).toEqual(['+447700900001']);
    const repeated = await send('autumn');
    expect(repeated.errors).toEqual([
      expect.objectContaining({
        phoneNumber: '+447700900001',
        category: 'template',
        alreadySent: true,
        deliveryId: first.errors[0]?.deliveryId,
      }),
    ]);
    expect(repeated.results).toEqual([
      expect.objectContaining({
        phoneNumber: '+447700900002',
        alreadySent: true,
        deliveryId: first.results[0]?.deliveryId,
      }),
    ]);
    const other = await send('winter');
    expect(other).toMatchObject({ alreadySent: 0, totalErrors: 0 });
    expect(h.channels.whatsapp.calls).toBe(4);
  });
});
