import {
  loadOpenTelemetry,
  type OpenTelemetryApi,
  type OtelAttributes,
  type OtelTracer,
} from './api';
import { type MetricName, RUNTIME_METRICS, type RuntimeInstruments } from './metrics';
import { formatTraceparent, parseTraceparent } from './traceparent';

/** The instrumentation scope every span and metric of Threadline carries. */
export const INSTRUMENTATION_SCOPE = '@threadline/core';

export type SpanKindName = 'internal' | 'server' | 'client' | 'consumer';

/** What a running span lets the code inside it add once known (a status, a provider id). */
export interface SpanHandle {
  set(key: string, value: string | number | boolean | undefined): void;
}

const noSpan: SpanHandle = { set: () => undefined };

/**
 * Where `@opentelemetry/api` 1.x keeps what a host registered (tracer provider, context manager,
 * meter provider), shared by every copy of the package in the process.
 */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether a host registered a tracer provider or a context manager. Without either, a span is
 * the API's no-op span in the root context: nothing records it and nothing can read it, so
 * building it (attributes, parent, context switch) is work no caller can observe. Read on every
 * call, since a host may register its SDK after Threadline starts.
 */
function tracingRegistered(): boolean {
  const registry = (globalThis as { [OTEL_GLOBAL]?: { trace?: unknown; context?: unknown } })[
    OTEL_GLOBAL
  ];
  return registry !== undefined && (registry.trace !== undefined || registry.context !== undefined);
}

/**
 * Spans and metrics through `@opentelemetry/api` when the host has it, nothing otherwise. One per
 * runtime; `ready` settles once the optional package has been looked for.
 */
export class Telemetry {
  readonly ready: Promise<void>;
  #api: OpenTelemetryApi | null = null;
  #tracer: OtelTracer | null = null;
  #instruments: RuntimeInstruments | null = null;

  constructor(enabled: boolean, load: () => Promise<OpenTelemetryApi | null> = loadOpenTelemetry) {
    this.ready = enabled
      ? load().then((api) => {
          if (!api) return;
          this.#api = api;
          this.#tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
          this.#instruments = RUNTIME_METRICS.create(api.metrics.getMeter(INSTRUMENTATION_SCOPE));
        })
      : Promise.resolve();
  }

  /** Whether spans and metrics are being recorded. */
  get active(): boolean {
    return this.#api !== null;
  }

  /**
   * Whether spans are built at all: `@opentelemetry/api` is loaded and the host registered a
   * tracer provider or a context manager. A hot path checks it before building a span's
   * attributes; {@link span} checks it itself.
   */
  get tracing(): boolean {
    return this.#tracer !== null && tracingRegistered();
  }

  /**
   * Runs `fn` inside a span that is the child of the active span (or of `parent`, a stored
   * `traceparent`), ends it when `fn` settles, and records a thrown error on it. Without
   * {@link tracing}, just runs `fn`.
   */
  span<T>(
    name: string,
    attributes: OtelAttributes,
    fn: (span: SpanHandle) => Promise<T>,
    options: { kind?: SpanKindName; parent?: string } = {},
  ): Promise<T> {
    if (!this.tracing) return fn(noSpan);
    return this.#traced(name, attributes, fn, options);
  }

  async #traced<T>(
    name: string,
    attributes: OtelAttributes,
    fn: (span: SpanHandle) => Promise<T>,
    options: { kind?: SpanKindName; parent?: string },
  ): Promise<T> {
    const api = this.#api;
    const tracer = this.#tracer;
    if (!api || !tracer) return fn(noSpan);
    const remote = parseTraceparent(options.parent);
    const base = api.context.active();
    const parent = remote ? api.trace.setSpanContext(base, remote) : base;
    const kind = api.SpanKind[(options.kind ?? 'internal').toUpperCase() as 'INTERNAL'];
    const span = tracer.startSpan(name, { kind, attributes: defined(attributes) }, parent);
    const handle: SpanHandle = {
      set: (key, value) => {
        if (value !== undefined) span.setAttribute(key, value);
      },
    };
    try {
      return await api.context.with(api.trace.setSpan(parent, span), () => fn(handle));
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  }

  /** The active span as a `traceparent`, for the outbox to store with a delivery. */
  traceparent(): string | undefined {
    const api = this.#api;
    // No context manager: the active context is the root one, which holds no span.
    if (!api || !tracingRegistered()) return undefined;
    const span = api.trace.getSpan(api.context.active());
    return span ? formatTraceparent(span.spanContext()) : undefined;
  }

  /** Adds to one of the runtime's counters. */
  count(name: MetricName, attributes: OtelAttributes = {}, value = 1): void {
    this.#instruments?.counters[name].add(value, defined(attributes));
  }

  /** Reports the outbox gauges from `read` whenever the host's metric reader collects. */
  observeOutbox(read: () => Promise<{ depth: number; lagMs: number } | null>): () => void {
    const instruments = this.#instruments;
    if (!instruments) return () => undefined;
    return instruments.observeOutbox(read);
  }
}

function defined(attributes: OtelAttributes): OtelAttributes {
  const out: OtelAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
