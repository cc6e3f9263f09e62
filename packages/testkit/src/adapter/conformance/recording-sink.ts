import type { EventSink, InboundEvent } from '@threadline/core';

/** An {@link EventSink} that keeps what it was given. */
export interface RecordingSink extends EventSink {
  /** Events whose `emit` has resolved, in order. */
  readonly events: readonly InboundEvent[];
  /** Forgets the events. */
  clear(): void;
}

/**
 * Creates a {@link RecordingSink}. Each `emit` records its event one macrotask later and only
 * then resolves, like a core writing to a store: an adapter that answers its webhook without
 * awaiting `emit` is caught, because the events are not there yet when the response is.
 *
 * @example
 * ```ts
 * const sink = createRecordingSink();
 * await adapter.handleWebhook(request, { sink, publicUrl, waitUntil: () => {} });
 * expect(sink.events).toMatchObject([{ type: 'message' }]);
 * ```
 */
export function createRecordingSink(): RecordingSink {
  const events: InboundEvent[] = [];
  return {
    events,
    async emit(event) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      events.push(event);
      return { recorded: true };
    },
    clear() {
      events.length = 0;
    },
  };
}
