import type { ChannelAdapter } from '../../adapter/contract';
import { ValidationError } from '../../errors/validation';
import type {
  EmitReceipt,
  EventSink,
  InboundEvent,
  MessageEvent,
  StatusEvent,
} from '../../events/inbound-events';
import type { InboundMessage } from '../../message/inbound';
import type { ResolvedIdentity } from '../../store/identities';
import type { PendingTurn } from '../../store/turns';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import { consentKeyword } from './consent-keywords';
import { countFailure } from './dead-letter';
import { firstTurnLeaseMs, type TurnRunner } from './durable-turns';
import { recordEcho } from './echo';
import { releaseHeld } from './held-release';
import { inboundRecordInput } from './record';
import { createInboundRecorder, type RecordInbound } from './record-batch';
import { resolveSender, senderAddress } from './resolve';
import { applyStatus } from './status';
import { applyWatermark } from './watermark';

/** Runs slow work after the caller has its answer (the host's `waitUntil`, or tracked in-process). */
export type Defer = (work: Promise<unknown>) => void;

/** A recorded message's turn, as `WakeAgent` runs it. */
export interface WakeInput {
  adapter: ChannelAdapter;
  message: InboundMessage;
  userId: string;
  /** The sender's stored address: the reply goes to exactly this one. */
  address: string;
  threadId: string;
  seq: number;
  /** 1 for the first run; more when another instance's attempt did not finish. */
  attempt: number;
  /** Called just before the agent is: from then on the attempt counts as made. */
  started?: () => void;
}

/** What the pipeline does once a message is recorded: wake the agent (see `agent-turn.ts`). */
export type WakeAgent = (input: WakeInput) => Promise<void>;

/**
 * Inbound events in, durable records out. For a message: one `store.inbound.record` (dedupe claim,
 * identity and user on first contact, `lastInboundAt`, the thread, the entry, "anything held?",
 * all or nothing) → consent keywords → release held messages (only when some are) → the agent's
 * turn (deferred, so the webhook answers fast). If recording fails nothing was kept, so the
 * provider's retry is processed, not dropped; after `inbound.maxAttempts` failures of one provider
 * message it becomes a dead letter and the webhook answers 2xx.
 */
export class InboundPipeline {
  readonly #ctx: RuntimeContext;
  readonly #dispatcher: Dispatcher;
  readonly #turns: TurnRunner | undefined;
  /** `store.inbound.record`, grouped with the other records of the same tick where it can be. */
  readonly #record: RecordInbound;
  /** Events seen per provider sender nobody serves (`webhook.unrouted`'s count). */
  readonly #unrouted = new Map<string, number>();

  constructor(ctx: RuntimeContext, dispatcher: Dispatcher, turns: TurnRunner | undefined) {
    this.#ctx = ctx;
    this.#dispatcher = dispatcher;
    this.#turns = turns;
    this.#record = createInboundRecorder(ctx);
  }

  /** A sink for one request (or one adapter's connection), deferring slow work through `defer`. */
  sink(defer: Defer): EventSink {
    return { emit: (event) => this.handle(event, defer) };
  }

  handle(event: InboundEvent, defer: Defer): Promise<EmitReceipt> {
    return this.#ctx.telemetry.span(
      'threadline.inbound',
      {
        'threadline.event.type': event.type,
        'threadline.adapter.id': event.adapterId,
        'threadline.channel': event.channel,
      },
      async (span) => {
        const receipt = await this.#handle(event, defer);
        span.set('threadline.user.id', receipt.userId);
        span.set('threadline.thread.id', receipt.threadId);
        span.set('threadline.recorded', receipt.recorded);
        return receipt;
      },
    );
  }

  async #handle(event: InboundEvent, defer: Defer): Promise<EmitReceipt> {
    const adapter = this.#ctx.adapters.get(event.adapterId);
    if (!adapter) {
      throw new ValidationError('inbound event', [
        { path: 'adapterId', message: `no adapter with id ${JSON.stringify(event.adapterId)}` },
      ]);
    }
    switch (event.type) {
      case 'message':
        return this.#message(adapter, event, defer);
      case 'status':
        return this.#status(event, defer);
      case 'status-watermark':
        return applyWatermark(this.#ctx, adapter, event);
      case 'echo':
        return recordEcho(this.#ctx, adapter, event);
      case 'opt-out':
      case 'opt-in': {
        const address = senderAddress(adapter, event.from);
        await this.#ctx.store.consent.record({
          channel: event.channel,
          address,
          status: event.type === 'opt-out' ? 'opted-out' : 'opted-in',
          at: event.timestamp,
          ...(event.keyword === undefined ? {} : { keyword: event.keyword }),
        });
        this.#ctx.events.emit('event.received', { event });
        return { recorded: true };
      }
      case 'conversation-update': {
        const resolved = await resolveSender(this.#ctx, adapter, event.from, event.userId);
        if (event.reference !== undefined) {
          await this.#ctx.store.identities.touch(
            { channel: event.channel, address: resolved.identity.address },
            { adapterId: adapter.id, reference: event.reference },
          );
        }
        this.#ctx.events.emit('event.received', { event, userId: resolved.user.id });
        return { recorded: true, userId: resolved.user.id };
      }
      case 'reaction': {
        const resolved = await resolveSender(this.#ctx, adapter, event.from);
        const thread = await this.#ctx.store.threads.ensure({
          userId: resolved.user.id,
          agentId: this.#ctx.agentId,
        });
        const entry = await this.#ctx.store.threads.append(thread.id, {
          direction: 'inbound',
          at: event.timestamp,
          text: '',
          channel: event.channel,
          adapterId: adapter.id,
          providerMessageId: event.providerMessageId,
          metadata: { reaction: { emoji: event.emoji, targetMessageId: event.targetMessageId } },
        });
        this.#ctx.events.emit('event.received', { event, userId: resolved.user.id });
        return { recorded: true, userId: resolved.user.id, threadId: thread.id, seq: entry.seq };
      }
      case 'unsupported':
        if (event.unroutedSender !== undefined) {
          this.#reportUnrouted(adapter, event.unroutedSender, event.reason);
        } else {
          this.#ctx.logger.warn(
            { adapterId: adapter.id, reason: event.reason },
            'unsupported inbound event',
          );
        }
        this.#ctx.events.emit('event.received', { event });
        return { recorded: false };
      case 'typing':
        this.#ctx.events.emit('event.received', { event });
        return { recorded: false };
    }
  }

  #reportUnrouted(adapter: ChannelAdapter, senderId: string, reason: string): void {
    const key = `${adapter.channel}:${senderId}`;
    const count = (this.#unrouted.get(key) ?? 0) + 1;
    this.#unrouted.set(key, count);
    this.#ctx.logger.warn(
      { adapterId: adapter.id, channel: adapter.channel, senderId, count },
      'webhook for a sender no adapter serves; configure it or remove it from the provider app',
    );
    this.#ctx.events.emit('webhook.unrouted', {
      adapterId: adapter.id,
      channel: adapter.channel,
      senderId,
      reason,
      count,
    });
  }

  async #message(adapter: ChannelAdapter, event: MessageEvent, defer: Defer): Promise<EmitReceipt> {
    const { store, clock } = this.#ctx;
    const { message } = event;
    let recorded: {
      resolved: ResolvedIdentity;
      threadId: string;
      seq: number;
      hasHeld: boolean;
      turn: PendingTurn | null | undefined;
    };
    const keyword = consentKeyword(adapter.capabilities.optOut, message.text);
    try {
      const input = inboundRecordInput(this.#ctx, adapter, event);
      // The turn is stored with the entry where the store can: a recorded message then always
      // has its turn. Not for a keyword, which wakes no agent.
      if (this.#turns && store.turns && !keyword) {
        input.turn = {
          owner: this.#ctx.instanceId,
          leaseMs: firstTurnLeaseMs(this.#ctx.options.inbound.turnLeaseMs),
        };
      }
      // An authenticated sender (a signed web chat token) is bound to its user first; recording
      // then finds the address on that user.
      if (event.userId !== undefined) {
        await resolveSender(this.#ctx, adapter, message.from, event.userId);
      }
      const result = await this.#record(input, (error, text) =>
        this.#ctx.logger.warn({ err: error, claimKey: input.claimKey }, text),
      );
      if (result.duplicate) {
        this.#ctx.logger.debug(
          { adapterId: adapter.id, providerMessageId: message.providerMessageId },
          'duplicate inbound message ignored',
        );
        return { recorded: false, duplicate: true };
      }
      const { identity, user, created, userCreated } = result;
      recorded = {
        resolved: { identity, user, created, userCreated },
        threadId: result.thread.id,
        seq: result.entry.seq,
        hasHeld: result.hasHeld,
        turn: result.turn,
      };
    } catch (error) {
      // Nothing of the message was kept (the store records it whole or not at all), so the
      // provider's retry starts afresh; after too many, a dead letter and a 2xx end the retries.
      const deadLetter = await countFailure(this.#ctx, adapter, event, error);
      if (deadLetter === null) throw error;
      this.#ctx.reportError(error, { phase: 'inbound' });
      return { recorded: false, deadLettered: true };
    }
    const { resolved, threadId, seq, hasHeld, turn: storedTurn } = recorded;
    this.#ctx.events.emit('message.received', {
      userId: resolved.user.id,
      threadId,
      seq,
      channel: adapter.channel,
      adapterId: adapter.id,
      message,
    });

    // HELP changes no consent: recording it as an opt-in would undo a STOP sent before it.
    if (keyword && keyword.kind !== 'help') {
      await store.consent.record({
        channel: adapter.channel,
        address: resolved.identity.address,
        status: keyword.kind === 'stop' ? 'opted-out' : 'opted-in',
        at: new Date(clock.now()),
        keyword: keyword.word,
      });
    }
    if (keyword) {
      // The carrier answers STOP, START and HELP itself; the agent is not woken for them.
      return { recorded: true, userId: resolved.user.id, threadId, seq };
    }
    // Only when something is held: the release is a write, and almost every message has none.
    if (hasHeld) {
      await releaseHeld(this.#ctx, this.#dispatcher, {
        userId: resolved.user.id,
        channel: adapter.channel,
      });
    }
    if (this.#turns) {
      // Awaited: a durable turn is stored before the provider hears 2xx; the agent is deferred.
      const turn = await this.#turns.start(
        {
          adapter,
          message,
          userId: resolved.user.id,
          address: resolved.identity.address,
          threadId,
          seq,
        },
        storedTurn,
      );
      defer(turn.done);
    }
    return { recorded: true, userId: resolved.user.id, threadId, seq };
  }

  async #status(event: StatusEvent, defer: Defer): Promise<EmitReceipt> {
    const applied = await applyStatus(this.#ctx, event);
    // A receipt can overtake our own record of the provider's id: try again shortly, off the request.
    if (!applied) defer(applyStatus(this.#ctx, event, { retry: true }));
    return { recorded: applied };
  }
}
