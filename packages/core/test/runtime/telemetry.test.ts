import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter } from '@threadline/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createThreadline } from '../../src/index';

const spans = new InMemorySpanExporter();
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  trace.disable();
  metrics.disable();
  context.disable();
});
beforeEach(() => spans.reset());

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const byName = (name: string) => spans.getFinishedSpans().filter((span) => span.name === name);
const only = (name: string) => {
  const found = byName(name);
  expect(found, name).toHaveLength(1);
  return found[0] as ReadableSpan;
};

async function counters(): Promise<Map<string, Array<{ value: number; attributes: object }>>> {
  const { resourceMetrics } = await reader.collect();
  const out = new Map<string, Array<{ value: number; attributes: object }>>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      out.set(
        metric.descriptor.name,
        metric.dataPoints.map((point) => ({
          value: point.value as number,
          attributes: point.attributes,
        })),
      );
    }
  }
  return out;
}

describe('OpenTelemetry', () => {
  it('traces webhook → inbound → turn → outbox send → provider call as one tree, and a retry by the poller stays a child of the turn', async () => {
    const clock = createFakeClock();
    const chat = createTestAdapter({ id: 'chat', clock });
    const threadline = createThreadline({
      store: createMemoryStore({ clock }),
      adapters: [chat],
      clock,
      async onMessage({ reply }) {
        await reply('hello back');
      },
    });
    await threadline.start();
    chat.failNextWith('throttled');

    const response = await threadline.fetch(
      chat.signedRequest({
        events: [{ type: 'message', id: 'in-1', from: '+447700900123', text: 'hi' }],
      }),
    );
    expect(response.status).toBe(200);
    await threadline.idle();

    const webhook = only('threadline.webhook');
    const inbound = only('threadline.inbound');
    const turn = only('threadline.turn');
    expect(webhook.attributes).toMatchObject({
      'threadline.adapter.id': 'chat',
      'http.response.status_code': 200,
    });
    expect(parentOf(inbound)).toBe(webhook.spanContext().spanId);
    expect(parentOf(turn)).toBe(inbound.spanContext().spanId);
    expect(inbound.attributes['threadline.user.id']).toBe(turn.attributes['threadline.user.id']);

    // First attempt, inside the turn: throttled by the provider, so rescheduled.
    const [first] = byName('threadline.outbox.send');
    expect(parentOf(first as ReadableSpan)).toBe(turn.spanContext().spanId);
    const failedCall = only('threadline.provider.call');
    expect(parentOf(failedCall)).toBe(first?.spanContext().spanId);
    expect(failedCall.status.code).toBe(2); // SpanStatusCode.ERROR

    // The poller retries later, outside any turn: still the turn's child, through the outbox.
    spans.reset();
    clock.advance(60_000);
    await threadline.runDue();
    const retry = only('threadline.outbox.send');
    expect(retry.spanContext().traceId).toBe(turn.spanContext().traceId);
    expect(parentOf(retry)).toBe(turn.spanContext().spanId);
    expect(retry.attributes).toMatchObject({
      'threadline.channel': 'test',
      'threadline.delivery.attempt': 2,
      'threadline.delivery.status': 'accepted',
    });
    const call = only('threadline.provider.call');
    expect(parentOf(call)).toBe(retry.spanContext().spanId);
    expect(call.attributes['threadline.provider.message_id']).toBe(
      chat.sent[0]?.providerMessageIds[0],
    );

    const seen = await counters();
    expect(seen.get('threadline.webhooks')).toEqual([
      {
        value: 1,
        attributes: {
          'threadline.adapter.id': 'chat',
          outcome: 'accepted',
          'http.response.status_code': 200,
        },
      },
    ]);
    expect(seen.get('threadline.outbox.retries')).toEqual([
      {
        value: 1,
        attributes: { 'threadline.channel': 'test', 'threadline.error.category': 'throttled' },
      },
    ]);
    expect(seen.get('threadline.deliveries.status')).toContainEqual({
      value: 1,
      attributes: { 'threadline.channel': 'test', 'threadline.delivery.status': 'accepted' },
    });
    expect(seen.get('threadline.outbox.depth')).toEqual([{ value: 0, attributes: {} }]);
    await threadline.stop();
  });

  it('counts a rejected webhook and reports outbox depth and lag from the store', async () => {
    const clock = createFakeClock();
    const chat = createTestAdapter({ id: 'chat', clock });
    const threadline = createThreadline({
      store: createMemoryStore({ clock }),
      adapters: [chat],
      clock,
    });
    await threadline.start();
    const forged = new Request(chat.webhookUrl, { method: 'POST', body: '{"events":[]}' });
    expect((await threadline.fetch(forged)).status).toBe(401);

    chat.failNextWith('throttled');
    await threadline.channels.send({
      channel: 'test',
      to: { phoneNumber: '+447700900123' },
      text: 'x',
    });
    clock.advance(10 * 60_000); // due again long ago: the lag shows how long it has waited

    const seen = await counters();
    expect(seen.get('threadline.webhooks')).toContainEqual({
      value: 1,
      attributes: {
        'threadline.adapter.id': 'chat',
        outcome: 'rejected',
        'http.response.status_code': 401,
      },
    });
    expect(seen.get('threadline.outbox.depth')).toEqual([{ value: 1, attributes: {} }]);
    const [lag] = seen.get('threadline.outbox.lag') ?? [];
    expect(lag?.value).toBeGreaterThan(0);
    expect(lag?.value).toBeLessThanOrEqual(10 * 60_000);
    await threadline.stop();
  });

  it('records nothing with telemetry: false', async () => {
    const chat = createTestAdapter({ id: 'chat' });
    const threadline = createThreadline({
      store: createMemoryStore(),
      adapters: [chat],
      telemetry: false,
    });
    await threadline.start();
    await threadline.fetch(
      chat.signedRequest({
        events: [{ type: 'message', id: 'in-2', from: '+447700900123', text: 'hi' }],
      }),
    );
    await threadline.idle();
    expect(spans.getFinishedSpans()).toEqual([]);
    await threadline.stop();
  });
});
