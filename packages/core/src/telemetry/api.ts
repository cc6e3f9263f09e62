/**
 * The slice of `@opentelemetry/api` Threadline uses, typed structurally so the core neither
 * depends on the package nor puts its types in our public declarations. `@opentelemetry/api` is
 * an optional peer: when the host has it (and an SDK registered), spans and metrics flow to the
 * host's exporters; when not, every call here is a no-op.
 */

export type OtelAttributes = Record<string, string | number | boolean | undefined>;
export interface OtelContext {
  readonly __otelContext?: never;
}
export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}
export interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): void;
  spanContext(): OtelSpanContext;
  end(): void;
}
export interface OtelTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: OtelAttributes },
    context?: OtelContext,
  ): OtelSpan;
}
export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void;
}
export interface OtelObservableResult {
  observe(value: number, attributes?: OtelAttributes): void;
}
export interface OtelObservableGauge {
  addCallback(callback: (result: OtelObservableResult) => void | Promise<void>): void;
  removeCallback(callback: (result: OtelObservableResult) => void | Promise<void>): void;
}
export interface OtelMeter {
  createCounter(name: string, options?: { description?: string; unit?: string }): OtelCounter;
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): OtelObservableGauge;
}

/** What Threadline calls on `@opentelemetry/api`. */
export interface OpenTelemetryApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    getSpan(context: OtelContext): OtelSpan | undefined;
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
  };
  context: {
    active(): OtelContext;
    with<T>(context: OtelContext, fn: () => T): T;
  };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  SpanKind: { INTERNAL: number; SERVER: number; CLIENT: number; CONSUMER: number };
  SpanStatusCode: { ERROR: number };
}

/**
 * Loads `@opentelemetry/api` if the host installed it. The specifier is a variable so bundlers
 * do not try to resolve an optional package at build time.
 */
export async function loadOpenTelemetry(): Promise<OpenTelemetryApi | null> {
  const specifier = '@opentelemetry/api';
  try {
    const loaded = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as {
      default?: OpenTelemetryApi;
    } & Partial<OpenTelemetryApi>;
    const api = (loaded.trace ? loaded : loaded.default) as OpenTelemetryApi | undefined;
    return api?.trace && api.context && api.metrics ? api : null;
  } catch {
    return null;
  }
}
