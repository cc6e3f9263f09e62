import type {
  BatchOutcome,
  DeliveryFailure,
  InboundRecordInput,
  JsonValue,
  NewDelivery,
  NewJob,
  NewPendingTurn,
  NewThreadEntry,
  ThreadStore,
  User,
} from '@threadline/core';
import type { FakeClock } from '../fake-clock';

/** Reserved-for-drama UK numbers (Ofcom), so a suite never texts a real person. */
export const PHONE_A = '+447700900001';
export const PHONE_B = '+447700900002';
export const PHONE_C = '+447700900003';

/** A minute, for readable clock moves. */
export const MINUTE = 60_000;

/** A job lease: longer than the minutes the job tests step the clock by, so a lease outlives a step. */
export const JOB_LEASE = 5 * MINUTE;

/** An hourly `digest` job with the id and first run given (`null`: never due). */
export function hourlyJob(id: string, nextRunAt: Date | null): NewJob {
  return {
    id,
    handler: 'digest',
    schedule: { type: 'interval', everyMs: 60 * MINUTE },
    scheduleKey: 'interval:3600000',
    data: { audience: 'all' },
    nextRunAt,
  };
}

/**
 * A delivery input (an SMS due now) unless `overrides` say otherwise: for a store's own tests
 * beside the conformance suite.
 *
 * @example
 * ```ts
 * const { delivery } = await store.deliveries.create(newDelivery(clock, { nextAttemptAt: null }));
 * ```
 */
export function newDelivery(clock: FakeClock, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    channel: 'sms',
    adapterId: 'sms-main',
    recipient: PHONE_A,
    payload: { text: 'Your order has shipped' },
    origin: 'send',
    nextAttemptAt: clock.date(),
    ...overrides,
  };
}

/**
 * A turn input (seq 1 of `thread-1`, on WhatsApp, leased to `instance-a` for a minute) unless
 * `overrides` say otherwise: for a store's own tests beside the conformance suite.
 *
 * @example
 * ```ts
 * await store.turns.enqueue(newPendingTurn({ threadId: thread.id, seq: entry.seq, userId: user.id }));
 * ```
 */
export function newPendingTurn(overrides: Partial<NewPendingTurn> = {}): NewPendingTurn {
  return {
    threadId: 'thread-1',
    seq: 1,
    userId: 'user-1',
    adapterId: 'wa',
    channel: 'whatsapp',
    address: '+447700900123',
    owner: 'instance-a',
    leaseMs: MINUTE,
    ...overrides,
  };
}

/** A stored failure. */
export function failure(overrides: Partial<DeliveryFailure> = {}): DeliveryFailure {
  return {
    category: 'provider',
    code: 'twilio.30008',
    message: 'Unknown error',
    retryable: true,
    provider: 'twilio',
    providerCode: '30008',
    ...overrides,
  };
}

/** An inbound thread entry at `at`. */
export function inbound(
  at: Date,
  text: string,
  overrides: Partial<NewThreadEntry> = {},
): NewThreadEntry {
  return { direction: 'inbound', at, text, channel: 'sms', ...overrides };
}

/** A user with a thread with agent `support`. */
export async function userWithThread(
  store: ThreadStore,
  input: { phone?: string; agentId?: string } = {},
): Promise<{ user: User; threadId: string }> {
  const user = await store.users.create(
    input.phone === undefined ? {} : { phoneNumbers: [input.phone] },
  );
  const thread = await store.threads.ensure({
    userId: user.id,
    agentId: input.agentId ?? 'support',
  });
  return { user, threadId: thread.id };
}

/** The value of a batch method's `ok` outcome; fails the test (with the error) for a failed one. */
export function outcomeValue<T>(outcome: BatchOutcome<T> | undefined): T {
  if (outcome === undefined) throw new Error('no outcome for this item');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Matches any Threadline error of `category` (by shape, so two copies of core still match). */
export function errorOf(category: 'validation' | 'not_found'): Record<string, unknown> {
  return { category };
}

/** The first N positive integers: the seqs a thread of N entries must have. */
export function oneTo(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

/**
 * Collects messages a pub/sub handler receives; `until(n)` resolves once `n` have arrived (or
 * rejects after `timeoutMs` of real time: delivery across a broker is asynchronous by nature).
 */
export function collector(timeoutMs = 5_000): {
  messages: JsonValue[];
  handler: (message: JsonValue) => void;
  until(count: number): Promise<JsonValue[]>;
} {
  const messages: JsonValue[] = [];
  const waiting: Array<{ count: number; done: () => void }> = [];
  return {
    messages,
    handler(message) {
      messages.push(message);
      for (const waiter of waiting) if (messages.length >= waiter.count) waiter.done();
    },
    until(count) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`,
              ),
            ),
          timeoutMs,
        );
        waiting.push({
          count,
          done: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
  };
}

/**
 * An inbound record input: a WhatsApp text from `address` (default {@link PHONE_A}) at the clock's
 * now, claimed as `inbound:wa:<id>`, for agent `support`, unless `overrides` say otherwise.
 */
export function inboundInput(
  clock: FakeClock,
  id: string,
  overrides: Partial<InboundRecordInput> & { address?: string; text?: string } = {},
): InboundRecordInput {
  const { address = PHONE_A, text = `text of ${id}`, ...rest } = overrides;
  return {
    claimKey: `inbound:wa:${id}`,
    claimTtlMs: 10 * MINUTE,
    sender: { channel: 'whatsapp', address, kind: 'phone' },
    adapterId: 'wa',
    agentId: 'support',
    entry: {
      direction: 'inbound',
      at: clock.date(),
      text,
      channel: 'whatsapp',
      adapterId: 'wa',
      providerMessageId: id,
      metadata: { extra: { referral: { source_id: 'ad-1' } } },
    },
    ...rest,
  };
}
