import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

describe('several runtimes on one store', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  it('run each job tick once, and a job that sends delivers once per tick', async () => {
    const clock = createFakeClock(new Date('2026-03-02T08:59:00Z'));
    const store = createMemoryStore({ clock });
    const ticks: string[] = [];
    for (const instanceId of ['a', 'b', 'c']) {
      const harness = await createHarness({ clock, store, instanceId });
      harness.threadline.jobs.define({
        name: 'morning-reminder',
        schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
        execute: async (job) => {
          ticks.push(`${instanceId}@${job.scheduledAt.toISOString()}`);
          await harness.threadline.channels.send({
            channel: 'sms',
            to: { phoneNumber: '+447700900123' },
            text: 'Good morning',
          });
        },
      });
      await harness.threadline.start();
      harnesses.push(harness);
    }

    for (let day = 0; day < 3; day += 1) {
      clock.advance(day === 0 ? 60_000 : 24 * 3_600_000);
      await Promise.all(
        harnesses.flatMap((harness) => [
          harness.threadline.jobs.runDue(),
          harness.threadline.jobs.runDue(),
        ]),
      );
    }

    expect(ticks.map((tick) => tick.split('@')[1])).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
      '2026-03-04T09:00:00.000Z',
    ]);
    const sent = harnesses.flatMap((harness) => harness.channels.sms.sent);
    expect(sent).toHaveLength(3);
  });
});
