import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapter } from '../src/index';
import { API_VERSION, baseOptions, GRAPH_BASE_URL, PHONE_NUMBER_ID, useGraphMock } from './graph';

/**
 * The one test that runs on wall-clock time: pacing is about real seconds. The upper bound is
 * strict: never more than the rate in any one-second window, measured when the adapter issues
 * each request (its `fetch` call). Arrival at the in-process mock is reported too, but not
 * asserted: on a loaded machine the mock's own scheduling can delay one request by tens of ms,
 * which says nothing about the adapter. The lower bound is tolerant for the same reason.
 */

const graph = useGraphMock();

const RATE = 40;
const NUMBERS = 100;

/** The shortest time between a request and the one `RATE` places after it (≥ 1 s: never over). */
function tightestSpan(times: readonly number[]): number {
  return Math.min(...times.slice(RATE).map((t, i) => t - (times[i] as number)));
}

/** Most requests within any window of `windowMs` starting at a request. */
function busiestWindow(times: readonly number[], windowMs = 1_000): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('bulk templates.whatsapp.send through the adapter', () => {
  it(`reaches the configured rate (${RATE}/s) and never exceeds it in any second`, async () => {
    const clock = createFakeClock();
    // When the adapter issues each request (the moment it leaves for the network).
    const issued: Array<{ at: number; body: string }> = [];
    const adapter = createWhatsAppCloudAdapter({
      ...baseOptions,
      rate: { perSecond: RATE },
      fetch: (input, init) => {
        issued.push({ at: performance.now(), body: String(init?.body) });
        return fetch(input, init);
      },
    });
    const threadline = createThreadline({
      store: createMemoryStore({ clock }),
      adapters: [adapter],
      clock,
      outbox: { pollIntervalMs: 3_600_000 },
      jobs: { pollIntervalMs: 3_600_000 },
    });
    await threadline.start();
    // msw's first interception takes ~20 ms longer than the rest; warm it up outside the adapter
    // so the measurement shows pacing, not the mock's start-up.
    await fetch(`${GRAPH_BASE_URL}/${API_VERSION}/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      body: JSON.stringify({ status: 'read', message_id: 'warm-up' }),
    });
    const phoneNumbers = Array.from(
      { length: NUMBERS },
      (_, i) => `+4477009${String(i).padStart(5, '0')}`,
    );

    const summary = await threadline.templates.whatsapp.send({
      from: adapter.id,
      template: {
        name: 'spring_sale',
        languageCode: 'en_GB',
        values: { body: { first_name: 'there' } },
      },
      phoneNumbers,
    });
    await threadline.stop();

    expect(summary).toMatchObject({ totalProcessed: NUMBERS, totalErrors: 0 });
    const requests = graph.requests.filter((r) => r.body?.type === 'template');
    expect(requests).toHaveLength(NUMBERS);
    expect(requests[0]?.body).toMatchObject({
      to: '447700900000',
      type: 'template',
      template: {
        name: 'spring_sale',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [{ type: 'text', parameter_name: 'first_name', text: 'there' }],
          },
        ],
      },
    });

    const sent = issued.filter((request) => request.body.includes('"template"')).map((r) => r.at);
    const received = requests.map((r) => r.at).sort((a, b) => a - b);
    expect(sent).toHaveLength(NUMBERS);
    const seconds = ((sent.at(-1) as number) - (sent[0] as number)) / 1_000;
    const achieved = (NUMBERS - 1) / seconds;
    console.info(
      `bulk pacing at ${RATE}/s: ${NUMBERS} sends in ${seconds.toFixed(3)} s = ${achieved.toFixed(1)}/s; ` +
        `busiest 1-s window ${busiestWindow(sent)} as sent (tightest ${RATE + 1}-request span ` +
        `${tightestSpan(sent).toFixed(1)} ms), ${busiestWindow(received)} as received by the mock ` +
        `(${tightestSpan(received).toFixed(1)} ms)`,
    );
    // Strict: the adapter never issues more than RATE requests in any second.
    expect(busiestWindow(sent)).toBeLessThanOrEqual(RATE);
    // Tolerant: close to the rate (a loaded machine may run slower, never faster).
    expect(achieved).toBeGreaterThan(RATE * 0.75);
  });
});
