import type { InboundEvent } from '../events/inbound-events';
import type { InboundMessage } from '../message/inbound';
import type { DeliveryStatus } from '../message/status';
import type { DeadLetter } from '../store/dead-letters';
import type { DeliveryFailure } from '../store/deliveries';

/** Everything a running Threadline tells its listeners, by event name. */
export interface ThreadlineEventMap {
  /** An inbound message was recorded to a thread (before the agent sees it). */
  'message.received': {
    userId: string;
    threadId: string;
    seq: number;
    channel: string;
    adapterId: string;
    message: InboundMessage;
  };
  /**
   * An inbound message failed to record `inbound.maxAttempts` times and was given up on: it is in
   * `store.deadLetters`, and the provider was answered 2xx so it stops retrying.
   */
  'message.dead-lettered': { deadLetter: DeadLetter; error: unknown };
  /** A delivery changed status (dispatcher, provider receipt, or policy). */
  'delivery.status': {
    deliveryId: string;
    status: DeliveryStatus;
    previous: DeliveryStatus;
    channel: string;
    userId?: string;
    error?: DeliveryFailure;
  };
  /**
   * A provider receipt for a message no delivery has: sent by something other than Threadline
   * (the provider's console, another app on the same number), or recorded too late. Emitted after
   * the lookups of `inbound.receiptRetryDelaysMs`, or at once when `stop()` ends the wait.
   */
  'receipt.unmatched': {
    adapterId: string;
    channel: string;
    providerMessageId: string;
    status: DeliveryStatus;
    /** When the provider says the status happened. */
    timestamp: Date;
    /** How many times the delivery was looked up. */
    attempts: number;
    /** `not_found` after every lookup; `stopped` when `stop()` ended the wait. */
    reason: 'not_found' | 'stopped';
  };
  /** An inbound event that is not a message and changes nothing stored beyond itself. */
  'event.received': { event: InboundEvent; userId?: string };
  /**
   * A webhook carried events for a provider sender nobody here serves (a WhatsApp number of the same
   * Meta app that no adapter is configured for). `count` is how many this process has seen for
   * that sender; the events themselves were not recorded.
   */
  'webhook.unrouted': {
    adapterId: string;
    channel: string;
    senderId: string;
    reason: string;
    count: number;
  };
  /** A job run threw or timed out. */
  'job.failed': {
    jobId: string;
    handler: string;
    error: unknown;
    attempt: number;
    willRetry: boolean;
  };
  /** A job run finished. */
  'job.completed': { jobId: string; handler: string; durationMs: number };
}

export type ThreadlineEventName = keyof ThreadlineEventMap;
export type ThreadlineListener<E extends ThreadlineEventName> = (
  payload: ThreadlineEventMap[E],
) => void;

/**
 * A minimal typed emitter. Listeners run synchronously and a throwing listener is reported to
 * `onListenerError` rather than breaking the pipeline that emitted.
 */
export class ThreadlineEvents {
  readonly #listeners = new Map<ThreadlineEventName, Set<(payload: never) => void>>();
  readonly #onListenerError: (error: unknown, event: ThreadlineEventName) => void;

  constructor(onListenerError: (error: unknown, event: ThreadlineEventName) => void) {
    this.#onListenerError = onListenerError;
  }

  on<E extends ThreadlineEventName>(event: E, listener: ThreadlineListener<E>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends ThreadlineEventName>(event: E, payload: ThreadlineEventMap[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as ThreadlineListener<E>)(payload);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}
