import type { EventSink, InboundEvent } from '@threadline/core';

/** An {@link EventSink} that keeps what it was given. */
export interface RecordingSink extends EventSink {
  /** Events whose `emit` has resolved, in order. */
  readonly events: readonly InboundEvent[];
  /** `emit` calls made so far, resolved or not: more than `events.length` while some are pending. */
  readonly emitted: number;
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
  let emitted = 0;
  return {
    events,
    get emitted() {
      return emitted;
    },
    async emit(event) {
      emitted += 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
      events.push(event);
      return { recorded: true };
    },
    clear() {
      events.length = 0;
      emitted = 0;
    },
  };
}
