import { randomUUID } from 'node:crypto';
import {
  type AdapterContext,
  abortError,
  type Capabilities,
  type ChannelAdapter,
  type Clock,
  type DeliveryErrorCategory,
  type InboundEvent,
  type MessageEvent,
  type OutboundEnvelope,
  type SendOptions,
  type SendResult,
  systemClock,
  ThreadlineError,
  type WebhookContext,
} from '@threadline/core';
import { type RecordedAction, recordActions } from './actions';
import { testCapabilities } from './capabilities';
import {
  createFailureQueue,
  createTestDeliveryError,
  type ProgrammedFailure,
  TEST_PROVIDER,
  type TestDeliveryErrorOptions,
} from './failures';
import { renderEnvelope, type SentMessage } from './outbound';
import type { TestTimestamp, TestWebhookBody, TestWebhookEvent } from './webhook-body';
import { toInboundEvent } from './webhook-events';
import { handleTestWebhook } from './webhook-handler';
import { signTestWebhook, TEST_SIGNATURE_HEADER, TEST_WEBHOOK_SECRET } from './webhook-signature';

/** Options of {@link createTestAdapter}; every one has a default. */
export interface TestAdapterOptions {
  /** Defaults to `test`. */
  id?: string;
  /** Defaults to `test`; use `whatsapp`, `sms`… to stand in for a real channel. */
  channel?: string;
  /** Defaults to {@link testCapabilities}. */
  capabilities?: Capabilities;
  /** The webhook signing secret. Defaults to {@link TEST_WEBHOOK_SECRET}. */
  secret?: string;
  /** Timestamps of inbound events and sends. Defaults to the system clock. */
  clock?: Clock;
  /**
   * Called at the start of every `send`, before any programmed failure. Await in it to hold a
   * send in flight (a deferred promise), or throw to fail it.
   */
  onSend?(envelope: OutboundEnvelope, call: number, options?: SendOptions): void | Promise<void>;
}

/** A message pushed in with {@link TestAdapter.receive}. */
export interface TestInboundMessage {
  from: string;
  text: string;
  /**
   * The provider message id. Defaults to a random `test-in-<uuid>`: a per-process counter would
   * repeat across restarts, and a store that keeps data would drop the repeats as duplicates.
   */
  id?: string;
  name?: string;
  payload?: string;
  replyTo?: string;
  timestamp?: Date | TestTimestamp;
}

/** Options of {@link TestAdapter.failNextWith}. */
export interface FailNextOptions extends TestDeliveryErrorOptions {
  /** How many sends fail. Defaults to 1. */
  times?: number;
}

/**
 * An in-memory ("loopback") {@link ChannelAdapter}: sends are rendered from its capabilities and
 * recorded instead of reaching a provider, and inbound arrives through a real signed webhook or
 * is pushed in directly. For testing the core and host apps without a network.
 */
export interface TestAdapter extends ChannelAdapter {
  readonly provider: 'test';
  /** The webhook signing secret. */
  readonly secret: string;
  /** A URL for webhook requests: `https://test.threadline.local/webhooks/<id>`. */
  readonly webhookUrl: string;
  /** Every accepted send, in order. */
  readonly sent: readonly SentMessage[];
  /** Every `markRead`, `sendTyping` and `react`, in order. */
  readonly actions: readonly RecordedAction[];
  /** How many times `send` was called, failed calls included. */
  readonly calls: number;
  /** Verifies `x-threadline-signature`, parses the test format and emits into `context.sink`. */
  handleWebhook(request: Request, context: WebhookContext): Promise<Response>;
  /** Keeps `context.sink` so {@link receive} can emit into it. */
  start(context: AdapterContext): Promise<void>;
  /** Forgets the sink: `receive` throws until the next `start`. */
  stop(): Promise<void>;
  /** Whether `start` was called (and `stop` not since). */
  readonly started: boolean;
  /** Makes the next `times` sends (default 1) throw `failure` (or what it returns). */
  failNext(failure: ProgrammedFailure, times?: number): void;
  /** Makes the next sends throw a `DeliveryError` of `category`. */
  failNextWith(category: DeliveryErrorCategory, options?: FailNextOptions): void;
  /** Emits a message event into the sink given to `start`; throws if not started. */
  receive(message: TestInboundMessage): Promise<MessageEvent>;
  /** Emits any event of the webhook format into the sink given to `start`. */
  receiveEvent(event: TestWebhookEvent): Promise<InboundEvent>;
  /** A POST request to {@link webhookUrl} carrying `body`, signed with the adapter's secret. */
  signedRequest(body: TestWebhookBody | string, options?: { url?: string }): Request;
  /** Forgets sends, actions, calls and programmed failures (not the started sink). */
  reset(): void;
}

const toTimestamp = (value: Date | TestTimestamp | undefined): TestTimestamp | undefined =>
  value instanceof Date ? value.getTime() : value;

/**
 * Creates a {@link TestAdapter} (provider `test`).
 *
 * @example
 * ```ts
 * const adapter = createTestAdapter({ capabilities: testCapabilityVariants.restrictive });
 * adapter.failNextWith('throttled', { retryAfterMs: 1_000 });
 * await expect(adapter.send(envelope)).rejects.toMatchObject({ category: 'throttled' });
 * await adapter.send(envelope);
 * adapter.sent[0]?.segments; // what reached the "provider", within 160 characters each
 *
 * await adapter.start({ sink, store, clock, logger });
 * await adapter.receive({ from: '+15550001', text: 'hello' });
 * ```
 */
export function createTestAdapter(options: TestAdapterOptions = {}): TestAdapter {
  const id = options.id ?? 'test';
  const channel = options.channel ?? 'test';
  const capabilities = options.capabilities ?? testCapabilities;
  const secret = options.secret ?? TEST_WEBHOOK_SECRET;
  const clock = options.clock ?? systemClock;
  const origin = { adapterId: id, channel, now: () => clock.now() };
  const webhookUrl = `https://test.threadline.local/webhooks/${encodeURIComponent(id)}`;

  const sent: SentMessage[] = [];
  const failures = createFailureQueue();
  let context: AdapterContext | undefined;
  let calls = 0;
  let nextMessage = 1;
  const newMessageId = () => `test-msg-${nextMessage++}`;
  const actions = recordActions({ features: capabilities.features, clock, newMessageId });

  async function receiveEvent(event: TestWebhookEvent): Promise<InboundEvent> {
    if (context === undefined) {
      throw new ThreadlineError(
        `Test adapter ${JSON.stringify(id)} is not started: call adapter.start(context) before receive()`,
        { code: 'adapter_not_started', category: 'config' },
      );
    }
    const normalised = toInboundEvent(event, origin);
    await context.sink.emit(normalised);
    return normalised;
  }

  const adapter: TestAdapter = {
    id,
    channel,
    capabilities,
    provider: TEST_PROVIDER,
    secret,
    webhookUrl,
    sent,
    get actions() {
      return actions.recorded;
    },
    get calls() {
      return calls;
    },
    get started() {
      return context !== undefined;
    },
    ...actions.methods,

    async send(envelope, sendOptions) {
      calls += 1;
      // An aborted signal means the outbox stopped waiting: nothing reaches the "provider".
      if (sendOptions?.signal?.aborted) throw abortError(sendOptions.signal);
      await options.onSend?.(envelope, calls, sendOptions);
      if (sendOptions?.signal?.aborted) throw abortError(sendOptions.signal);
      const failure = failures.take(envelope);
      if (failure) throw failure;
      const rendered = await renderEnvelope(envelope, capabilities);
      const { messageCount, ...record } = rendered;
      const providerMessageIds = Array.from({ length: messageCount }, newMessageId);
      sent.push({ ...record, providerMessageIds, at: new Date(clock.now()) });
      const [first = ''] = providerMessageIds;
      const result: SendResult = {
        providerMessageId: first,
        status: 'accepted',
        address: envelope.to.address,
      };
      return providerMessageIds.length > 1 ? { ...result, providerMessageIds } : result;
    },

    handleWebhook(request, webhook) {
      return handleTestWebhook(request, { ...origin, secret, sink: webhook.sink });
    },

    async start(startContext) {
      context = startContext;
    },

    async stop() {
      context = undefined;
    },

    failNext(failure, times = 1) {
      failures.add(failure, times);
    },

    failNextWith(category, { times = 1, ...errorOptions } = {}) {
      failures.add(() => createTestDeliveryError(category, errorOptions), times);
    },

    async receive(message) {
      const event = await receiveEvent({
        type: 'message',
        id: message.id ?? `test-in-${randomUUID()}`,
        from: message.from,
        text: message.text,
        name: message.name,
        payload: message.payload,
        replyTo: message.replyTo,
        timestamp: toTimestamp(message.timestamp),
      });
      return event as MessageEvent;
    },

    receiveEvent,

    signedRequest(body, requestOptions = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      return new Request(requestOptions.url ?? webhookUrl, {
        method: 'POST',
        body: raw,
        headers: {
          'content-type': 'application/json',
          [TEST_SIGNATURE_HEADER]: signTestWebhook(raw, secret),
        },
      });
    },

    reset() {
      sent.length = 0;
      actions.clear();
      failures.clear();
      calls = 0;
    },
  };
  return adapter;
}
