import type { ChannelAdapter } from '../../adapter/contract';
import { DeliveryError } from '../../errors/delivery';
import type { SendResult } from '../../message/outbound';
import type { Delivery, DeliveryFailure } from '../../store/deliveries';
import type { RuntimeContext } from '../context';
import type { SendWarning } from '../outbound/result';
import { isWindowOpen, usableWindowTag } from '../outbound/window';
import { retryDelayMs } from './backoff';
import { buildEnvelope, envelopeOf, type LiveAttempt, needsEntryLookup } from './envelope';
import { retryAfterOf, toDeliveryFailure } from './failure';
import { holdLeaseUntilSlot, LeaseKeeper, leaseIsFresh } from './lease';
import { Pacer } from './pacer';
import { fromStoredPayload } from './payload';
import { OutboxPoller } from './poller';
import { providerCall } from './provider-call';
import { recordSent } from './record';
import { reportStatusChange } from './status-change';
import { SendDeadlines } from './timeout';
import { createOutboxWrites, type OutboxWrites } from './writes';

/** How one attempt ended. `error` is what the adapter (or policy) threw, for a waiting caller. */
export interface AttemptOutcome {
  delivery: Delivery;
  error?: unknown;
  /** The delivery now waits behind a closed window. */
  held?: boolean;
  /** The provider took the message but the store could not record it (see `recordSent`). */
  sentUnrecorded?: boolean;
  /** The provider's id when `sentUnrecorded` (the stored delivery does not have it). */
  providerMessageId?: string;
  warnings?: SendWarning[];
}

/** What the dispatcher asks of the window policy when a send meets a closed window. */
export type ClosedWindowHandler = (input: {
  delivery: Delivery;
  adapter: ChannelAdapter;
  owner: string;
  cause?: unknown;
}) => Promise<AttemptOutcome>;

/**
 * The outbox worker. A delivery is attempted by whoever holds its lease: the instance that created
 * it (the caller waits for that first attempt), or any instance that claims it once due (retries,
 * scheduled sends, released held messages, deliveries whose first owner died).
 */
export class Dispatcher {
  readonly #ctx: RuntimeContext;
  readonly #pacer = new Pacer();
  readonly #onClosedWindow: ClosedWindowHandler;
  readonly #poller: OutboxPoller;
  readonly #deadlines: SendDeadlines;
  readonly #leases: LeaseKeeper;
  /** Creates and completes deliveries, with the others of this tick where the store can. */
  readonly writes: OutboxWrites;

  constructor(ctx: RuntimeContext, onClosedWindow: ClosedWindowHandler) {
    this.#ctx = ctx;
    this.#onClosedWindow = onClosedWindow;
    this.#poller = new OutboxPoller(ctx, (delivery) => this.attempt(delivery));
    this.writes = createOutboxWrites(ctx);
    this.#deadlines = new SendDeadlines(ctx.options.outbox.sendTimeoutMs);
    this.#leases = new LeaseKeeper(ctx);
  }

  get pacer(): Pacer {
    return this.#pacer;
  }

  /**
   * Attempts a delivery this instance holds the lease on. Never throws; the outcome says. `live`
   * carries what only the first attempt has (the stream being generated, the entry just written).
   */
  attempt(delivery: Delivery, live?: LiveAttempt): Promise<AttemptOutcome> {
    const { telemetry } = this.#ctx;
    // Nothing records spans: skip building the span's attributes (every send comes here).
    if (!telemetry.tracing) return this.#attempt(delivery, live);
    return telemetry.span(
      'threadline.outbox.send',
      {
        'threadline.delivery.id': delivery.id,
        'threadline.channel': delivery.channel,
        'threadline.adapter.id': delivery.adapterId,
        'threadline.delivery.attempt': delivery.attempts,
      },
      async (span) => {
        const outcome = await this.#attempt(delivery, live);
        span.set('threadline.delivery.status', outcome.delivery.status);
        return outcome;
      },
      // A stored traceparent makes every attempt, on any instance, a child of what created it.
      { kind: 'consumer', parent: fromStoredPayload(delivery.payload).traceparent },
    );
  }

  async #attempt(delivery: Delivery, live?: LiveAttempt): Promise<AttemptOutcome> {
    const { store, adapters, instanceId: owner } = this.#ctx;
    const adapter = adapters.get(delivery.adapterId);
    if (!adapter) {
      return this.#fail(delivery, {
        category: 'not_reachable',
        code: 'adapter_missing',
        message: `adapter ${JSON.stringify(delivery.adapterId)} is not configured on this instance`,
        retryable: false,
      });
    }
    const payload = fromStoredPayload(delivery.payload);
    const key = { channel: delivery.channel, address: delivery.recipient };
    // The send policy (or a bulk send) read consent and the identity a moment ago in this call;
    // later attempts (retries, scheduled sends, takeovers) read them again.
    const { checked } = live ?? {};
    if (checked === undefined && (await store.consent.isOptedOut(key))) {
      return this.#fail(delivery, {
        category: 'opted_out',
        code: 'opted_out',
        message: `${delivery.recipient} opted out of ${delivery.channel}`,
        retryable: false,
      });
    }
    // A checked `null` is an address with no identity: nothing to read again.
    const identity = checked === undefined ? await store.identities.get(key) : checked.identity;
    // Time passes between queueing and sending (sendAt, retries): re-check the window each
    // attempt, and the tag's own limit for a delivery the policy let out with a tag.
    const now = this.#ctx.clock.now();
    if (
      !payload.template &&
      !isWindowOpen(adapter.capabilities.window, identity?.lastInboundAt, now) &&
      (payload.tag === undefined ||
        usableWindowTag({
          window: adapter.capabilities.window,
          allowed: adapter.windowTags,
          requested: payload.tag,
          lastInboundAt: identity?.lastInboundAt,
          now,
        }) === undefined)
    ) {
      return this.#onClosedWindow({ delivery, adapter, owner });
    }
    if (payload.streamed && !live?.stream) {
      // Its text existed only as a stream in the process that died; nothing durable to resend.
      return this.#fail(delivery, {
        category: 'provider',
        code: 'stream_interrupted',
        message: 'the streamed message was interrupted before it finished',
        retryable: false,
      });
    }
    const envelopeInput = { delivery, payload, identity, ...(live === undefined ? {} : { live }) };
    // The first attempt (every send's) knows its thread entry: no read, no await.
    const envelope = needsEntryLookup(delivery, live)
      ? await buildEnvelope(this.#ctx, envelopeInput)
      : envelopeOf(envelopeInput, live?.entry);
    const slot = this.#pacer.take(adapter.id, adapter.capabilities.rate.perSecond);
    // A free slot and a fresh lease (the usual send) go on without awaiting anything.
    const mayGo = slot === undefined && leaseIsFresh(this.#ctx, delivery);
    if (!mayGo && !(await holdLeaseUntilSlot(this.#ctx, delivery, slot)))
      return this.#leaseLost(delivery, 'while waiting for a rate slot; not sent here');
    let result: SendResult;
    this.#leases.keep(delivery);
    try {
      result = await this.#deadlines.run(adapter, (signal) =>
        providerCall(this.#ctx, adapter, envelope, signal),
      );
    } catch (error) {
      return this.#handleError(delivery, adapter, error);
    } finally {
      this.#leases.release(delivery);
    }
    // The provider has the message now: from here on a failure must not send it again.
    let completed: Delivery | null;
    try {
      completed = await recordSent(this.#ctx, this.writes, delivery, result);
    } catch (error) {
      this.#ctx.reportError(error, { phase: 'dispatch', deliveryId: delivery.id });
      return {
        delivery,
        error,
        sentUnrecorded: true,
        providerMessageId: result.providerMessageId,
        warnings: [
          {
            code: 'not_recorded',
            message: `sent (${result.providerMessageId}) but not recorded: the store failed; it may be sent again once its lease expires`,
          },
        ],
      };
    }
    if (!completed) return this.#leaseLost(delivery, 'before completion');
    // Only when it changed: a send from the same sender as last time costs no round trip.
    if (identity && identity.lastAdapterId !== adapter.id)
      await store.identities
        .touch(key, { adapterId: adapter.id })
        .catch((error: unknown) =>
          this.#ctx.reportError(error, { phase: 'dispatch', deliveryId: delivery.id }),
        );
    reportStatusChange(this.#ctx, delivery, completed);
    return { delivery: completed };
  }

  /** Another instance claimed the delivery (while this attempt waited, or before it completed). */
  async #leaseLost(delivery: Delivery, when: string): Promise<AttemptOutcome> {
    this.#ctx.logger.warn(
      { deliveryId: delivery.id },
      `delivery lease lost ${when}; another instance owns it`,
    );
    return { delivery: (await this.#ctx.store.deliveries.get(delivery.id)) ?? delivery };
  }

  async #handleError(
    delivery: Delivery,
    adapter: ChannelAdapter,
    error: unknown,
  ): Promise<AttemptOutcome> {
    if (error instanceof DeliveryError) error.deliveryId = delivery.id;
    const failure = toDeliveryFailure(error);
    if (failure.category === 'window_closed') {
      return this.#onClosedWindow({ delivery, adapter, owner: this.#ctx.instanceId, cause: error });
    }
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.#ctx.options.outbox;
    const payload = fromStoredPayload(delivery.payload);
    // A streamed message has no stored text to retry with; the sender falls back to a plain send.
    if (failure.retryable && !payload.streamed && delivery.attempts < maxAttempts) {
      const retryAfterMs = retryAfterOf(error);
      const delay = retryDelayMs({
        attempt: delivery.attempts,
        baseDelayMs,
        maxDelayMs,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        random: this.#ctx.random,
      });
      const at = new Date(this.#ctx.clock.now() + delay);
      const rescheduled = await this.#ctx.store.deliveries.reschedule(delivery.id, {
        owner: this.#ctx.instanceId,
        at,
        error: failure,
      });
      this.#ctx.logger.info(
        {
          deliveryId: delivery.id,
          attempt: delivery.attempts,
          retryAt: at.toISOString(),
          code: failure.code,
        },
        'delivery attempt failed; retrying',
      );
      this.#ctx.telemetry.count('threadline.outbox.retries', {
        'threadline.channel': delivery.channel,
        'threadline.error.category': failure.category,
      });
      return { delivery: rescheduled ?? delivery, error };
    }
    if (failure.category === 'unreachable' && adapter.capabilities.reach.warmBy === 'reference') {
      await this.#withdrawReference(delivery);
    }
    return { ...(await this.#fail(delivery, failure)), error };
  }

  /**
   * The provider says the stored conversation is gone (Teams: the bot was removed, the
   * conversation deleted): store `null` so the next send is refused before any provider call.
   */
  async #withdrawReference(delivery: Delivery): Promise<void> {
    await this.#ctx.store.identities
      .touch({ channel: delivery.channel, address: delivery.recipient }, { reference: null })
      .catch((error: unknown) =>
        this.#ctx.reportError(error, { phase: 'dispatch', deliveryId: delivery.id }),
      );
  }

  async #fail(delivery: Delivery, failure: DeliveryFailure): Promise<AttemptOutcome> {
    const failed = await this.#ctx.store.deliveries.fail(delivery.id, {
      owner: this.#ctx.instanceId,
      error: failure,
      at: new Date(this.#ctx.clock.now()),
    });
    if (failed) reportStatusChange(this.#ctx, delivery, failed);
    this.#ctx.logger.warn(
      { deliveryId: delivery.id, code: failure.code, category: failure.category },
      'delivery failed',
    );
    return { delivery: failed ?? delivery };
  }

  /** See {@link OutboxPoller.runDue}. */
  runDue(): Promise<number> {
    return this.#poller.runDue();
  }

  /** Polls for due deliveries until {@link stop}. */
  start(): void {
    this.#poller.start();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
  }
}
