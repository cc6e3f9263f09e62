import { afterEach, describe, expect, it } from 'vitest';
import type { BulkOutcome } from '../../src/index';
import { createHarness, type Harness } from './harness';

const number = (i: number) => `+4477009${String(i).padStart(5, '0')}`;
const TEMPLATE = { name: 'spring_sale' };

describe('bulk template sends from an iterable, with onResult', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('reads an async iterable only as fast as it sends, and keeps only counts', async () => {
    h = await createHarness();
    const concurrency = 4;
    let read = 0;
    let mostAhead = 0;
    async function* numbers() {
      for (let i = 0; i < 500; i += 1) {
        read += 1;
        yield number(i);
      }
    }
    const outcomes: BulkOutcome[] = [];

    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: numbers(),
      concurrency,
      onResult: (outcome) => {
        outcomes.push(outcome);
        mostAhead = Math.max(mostAhead, read - outcomes.length);
      },
    });

    // Never more numbers read than are being sent: the iterable is not drained ahead.
    expect(mostAhead).toBeLessThanOrEqual(concurrency);
    expect(outcomes).toHaveLength(500);
    expect(outcomes.every((outcome) => outcome.ok && outcome.status === 'accepted')).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.phoneNumber)).size).toBe(500);
    expect(summary).toEqual({
      results: [],
      errors: [],
      totalProcessed: 500,
      totalErrors: 0,
      succeeded: 500,
      duplicates: 0,
      alreadySent: 0,
    });
    expect(h.channels.whatsapp.sent).toHaveLength(500);
  });

  it('validates and deduplicates a streamed list number by number', async () => {
    h = await createHarness();
    const outcomes: BulkOutcome[] = [];
    const progress: Array<{ total: number; processed: number }> = [];

    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: new Set(['+447700900001', '+44 7700 900001', 'not a number', '+447700900002']),
      onResult: (outcome) => {
        outcomes.push(outcome);
      },
      onProgress: ({ total, processed }) => progress.push({ total, processed }),
    });

    expect(outcomes.map((outcome) => [outcome.phoneNumber, outcome.ok])).toEqual(
      expect.arrayContaining([
        ['+447700900001', true],
        ['not a number', false],
        ['+447700900002', true],
      ]),
    );
    expect(outcomes).toHaveLength(3);
    expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({
      code: 'invalid_phone_number',
    });
    expect(summary).toMatchObject({ totalProcessed: 3, succeeded: 2, totalErrors: 1 });
    expect(summary.duplicates).toBe(1);
    expect(progress.at(-1)).toEqual({ total: 3, processed: 3 });
  });

  it('keeps the full summary for an iterable without onResult', async () => {
    h = await createHarness();
    function* numbers() {
      yield '+447700900001';
      yield '+447700900002';
    }
    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: numbers(),
    });
    expect(summary.results.map((result) => result.phoneNumber).toSorted()).toEqual([
      '+447700900001',
      '+447700900002',
    ]);
    expect(summary.results[0]).not.toHaveProperty('ok');
  });

  it('reports a failing onResult to onError and goes on with the other numbers', async () => {
    h = await createHarness();
    let calls = 0;
    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: TEMPLATE,
      phoneNumbers: [number(1), number(2), number(3)],
      concurrency: 1,
      onResult: () => {
        calls += 1;
        if (calls === 1) throw new Error('log disk full');
      },
    });
    expect(calls).toBe(3);
    expect(summary.succeeded).toBe(3);
    expect(h.errors).toEqual([expect.objectContaining({ message: 'log disk full' })]);
  });

  it('stops reading when the iterable fails, and rejects once what is in flight is done', async () => {
    h = await createHarness();
    const outcomes: BulkOutcome[] = [];
    async function* numbers() {
      yield number(1);
      yield number(2);
      throw new Error('cursor closed');
    }
    await expect(
      h.threadline.templates.whatsapp.send({
        from: 'wa',
        template: TEMPLATE,
        phoneNumbers: numbers(),
        concurrency: 1,
        onResult: (outcome) => {
          outcomes.push(outcome);
        },
      }),
    ).rejects.toThrow('cursor closed');
    expect(outcomes.map((outcome) => outcome.phoneNumber)).toEqual([number(1), number(2)]);
  });

  it('refuses a string or a plain object as the numbers', async () => {
    h = await createHarness();
    for (const phoneNumbers of ['+447700900001', { length: 1 }]) {
      await expect(
        h.threadline.templates.whatsapp.send({
          from: 'wa',
          template: TEMPLATE,
          phoneNumbers: phoneNumbers as never,
        }),
      ).rejects.toThrow(/phoneNumbers/);
    }
  });
});
