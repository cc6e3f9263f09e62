import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { Telemetry } from '../../src/telemetry/telemetry';

// `@opentelemetry/api` is installed here, as in many hosts that never register an SDK: spans are
// then skipped, and recorded again as soon as the host registers one, even after start.
afterEach(() => {
  trace.disable();
  context.disable();
});

describe('Telemetry without a registered SDK', () => {
  it('runs the function without a span and stores no traceparent', async () => {
    const telemetry = new Telemetry(true);
    await telemetry.ready;
    expect(telemetry.active).toBe(true);
    expect(telemetry.tracing).toBe(false);
    const result = await telemetry.span('threadline.test', { a: 1 }, async (span) => {
      span.set('b', 2);
      return telemetry.traceparent();
    });
    expect(result).toBeUndefined();
  });

  it('records spans once a tracer provider is registered after start', async () => {
    const telemetry = new Telemetry(true);
    await telemetry.ready;
    const spans = new InMemorySpanExporter();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    expect(telemetry.tracing).toBe(true);
    const inside = await telemetry.span('threadline.test', { a: 1 }, async () =>
      telemetry.traceparent(),
    );
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe('threadline.test');
    expect(inside).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
  });

  it('keeps the span path when only a context manager is registered', async () => {
    const telemetry = new Telemetry(true);
    await telemetry.ready;
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    expect(telemetry.tracing).toBe(true);
  });
});
