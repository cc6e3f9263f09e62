import { DeliveryError } from '@threadline/core';
import { createFakeClock } from '@threadline/testkit';
import { delay, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createWhatsAppCloudAdapter,
  GRAPH_ERROR_CODES,
  graphErrorRule,
  PAIR_RATE_LIMIT_RETRY_MS,
} from '../src/index';
import { baseOptions, useGraphMock } from './graph';

const graph = useGraphMock();
beforeEach(() => graph.reset());

const clock = createFakeClock(); // 2026-01-01T00:00:00Z
const adapter = createWhatsAppCloudAdapter({ ...baseOptions, clock, rate: { perSecond: 1_000 } });

async function failure(): Promise<DeliveryError> {
  const error = await adapter
    .send({ deliveryId: 'e1', to: { address: '+16505551234' }, text: 'hi' })
    .then(
      () => {
        throw new Error('the send succeeded');
      },
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Graph error codes on a send', () => {
  it.each([
    [131047, 400, 'window_closed', false],
    [131026, 400, 'unreachable', false],
    [130429, 429, 'throttled', true],
    [131056, 400, 'throttled', true],
    [131048, 400, 'throttled', false],
    [131049, 400, 'compliance', false],
    [190, 401, 'auth', false],
    [0, 401, 'auth', false],
    [10, 403, 'auth', false],
    [200, 403, 'auth', false],
    [132000, 400, 'template', false],
    [132001, 404, 'template', false],
    [132015, 400, 'template', false],
    [100, 400, 'invalid_request', false],
    [131008, 400, 'invalid_request', false],
    [131009, 400, 'invalid_request', false],
    [131000, 500, 'provider', true],
    [131050, 400, 'opted_out', false],
    [131053, 400, 'media', false],
    [131042, 400, 'billing', false],
    [368, 403, 'compliance', false],
    [4, 400, 'throttled', true],
    [80007, 400, 'throttled', true],
  ] as const)('%i (HTTP %i) → %s, retryable %s', async (code, status, category, retryable) => {
    graph.fail(status, code, { title: 'Graph says no', details: 'the details' });
    const error = await failure();
    expect(error).toMatchObject({
      category,
      retryable,
      provider: 'meta',
      providerCode: String(code),
      httpStatus: status,
      code: `meta.${code}`,
    });
    expect(error.message).toContain('the details');
  });

  it('waits about one pair interval (6 s) before retrying a 131056 recipient', async () => {
    graph.fail(400, 131056);
    expect((await failure()).retryAfterMs).toBe(PAIR_RATE_LIMIT_RETRY_MS);
    expect(PAIR_RATE_LIMIT_RETRY_MS).toBe(6_000);
    graph.fail(400, 131056, { retryAfter: '20' });
    expect((await failure()).retryAfterMs).toBe(20_000);
  });

  it('takes Retry-After in seconds or as an HTTP date on a 429', async () => {
    graph.fail(429, 130429, { retryAfter: '3' });
    expect((await failure()).retryAfterMs).toBe(3_000);
    graph.fail(429, 130429, { retryAfter: 'Thu, 01 Jan 2026 00:00:30 GMT' });
    expect((await failure()).retryAfterMs).toBe(30_000);
    graph.fail(429, 130429);
    expect((await failure()).retryAfterMs).toBeUndefined();
  });

  it('maps an unknown code by HTTP status, and a code-less body too', async () => {
    graph.fail(503, 999_999);
    expect(await failure()).toMatchObject({
      category: 'provider',
      retryable: true,
      providerCode: '999999',
    });
    graph.fail(400, 999_999);
    expect(await failure()).toMatchObject({ category: 'unknown', retryable: false });
    graph.respondWith(
      () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '2' } }),
    );
    expect(await failure()).toMatchObject({
      category: 'throttled',
      retryable: true,
      retryAfterMs: 2_000,
    });
    graph.respondWith(() => new HttpResponse(null, { status: 502 }));
    expect(await failure()).toMatchObject({
      category: 'provider',
      retryable: true,
      httpStatus: 502,
    });
  });

  it('makes a network failure and a timeout retryable provider errors', async () => {
    graph.respondWith(() => HttpResponse.error());
    expect(await failure()).toMatchObject({ category: 'provider', retryable: true });
    const impatient = createWhatsAppCloudAdapter({ ...baseOptions, timeoutMs: 50 });
    graph.respondWith(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const error = await impatient
      .send({ deliveryId: 'e2', to: { address: '+16505551234' }, text: 'hi' })
      .catch((e) => e);
    expect(error).toMatchObject({ category: 'provider', retryable: true });
    expect(error.message).toContain('no answer within 50 ms');
  });

  it('stops the timeout clock once a send is answered', async () => {
    const signals: AbortSignal[] = [];
    const watched = createWhatsAppCloudAdapter({
      ...baseOptions,
      timeoutMs: 30,
      fetch: (input, init) => {
        if (init?.signal) signals.push(init.signal);
        return fetch(input, init);
      },
    });
    await watched.send({ deliveryId: 't1', to: { address: '+16505551234' }, text: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    // A timer left running would abort the finished call's signal (and keep it alive until then).
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('does not retry a 2xx without a message id, since Meta may have taken it', async () => {
    graph.respondWith(() => HttpResponse.json({ messaging_product: 'whatsapp' }));
    expect(await failure()).toMatchObject({ category: 'provider', retryable: false });
    graph.respondWith(() => new HttpResponse('ok', { status: 200 }));
    expect(await failure()).toMatchObject({ category: 'provider', retryable: false });
  });
});

describe('the error table', () => {
  it('gives every 132xxx code the template category and falls back by status', () => {
    expect(graphErrorRule(132999).category).toBe('template');
    expect(graphErrorRule(299).category).toBe('auth');
    expect(graphErrorRule(undefined, 408)).toMatchObject({ category: 'provider', retryable: true });
    expect(graphErrorRule(undefined)).toMatchObject({ category: 'unknown', retryable: false });
  });

  it('marks as retryable only the codes that mean "try again"', () => {
    const retryable = Object.entries(GRAPH_ERROR_CODES)
      .filter(([, rule]) => rule.retryable)
      .map(([code]) => Number(code));
    expect(retryable.sort((a, b) => a - b)).toEqual([
      1, 2, 4, 80007, 130429, 131000, 131016, 131056,
    ]);
  });
});
