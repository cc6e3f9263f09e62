import type { OtelSpanContext } from './api';

/**
 * W3C Trace Context `traceparent`: version 00, 32 hex trace id, 16 hex parent id, 2 hex flags.
 * The outbox stores it with a delivery so a send started in an agent turn is that turn's child
 * even when another instance dispatches it an hour later.
 * Source: https://www.w3.org/TR/trace-context/#traceparent-header
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * A span context as a `traceparent` string, or `undefined` for the invalid (all-zero) context.
 *
 * @example
 * ```ts
 * formatTraceparent({ traceId: '4bf9…4736', spanId: '00f0…02b7', traceFlags: 1 }); // '00-4bf9…-00f0…-01'
 * ```
 */
export function formatTraceparent(context: OtelSpanContext): string | undefined {
  if (context.traceId === INVALID_TRACE_ID || context.spanId === INVALID_SPAN_ID) return undefined;
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** The span context a `traceparent` names (marked remote), or `undefined` if it is not one. */
export function parseTraceparent(value: string | undefined): OtelSpanContext | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
}
