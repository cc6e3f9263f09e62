import type { ChannelAdapter } from '../../adapter/contract';
import { ValidationError } from '../../errors/validation';
import type {
  EmitReceipt,
  EventSink,
  InboundEvent,
  MessageEvent,
  StatusEvent,
} from '../../events/inbound-events';
import type { ResolvedIdentity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { Dispatcher } from '../outbox/dispatcher';
import { consentKeyword } from './consent-keywords';
import { releaseHeld } from './held-release';
import { resolveSender, senderAddress } from './resolve';
import { applyStatus } from './status';
import type { TurnQueue } from './turns';

/** Runs slow work after the caller has its answer (the host's `waitUntil`, or tracked in-process). */
export type Defer = (work: Promise<unknown>) => void;

/** What the pipeline does once a message is recorded: wake the agent (see `agent-turn.ts`). */
export type WakeAgent = (input: {
  adapter: ChannelAdapter;
  event: MessageEvent;
  resolved: ResolvedIdentity;
  threadId: string;
  seq: number;
}) => Promise<void>;

/**
 * Inbound events in, durable records out. For a message: dedupe claim → identity (and user, on
 * first contact) → `lastInboundAt` → the thread → consent keywords → release held messages → the
 * agent's turn (deferred, so the webhook answers fast). If anything fails before the message is in
 * the thread, the dedupe claim is given back so the provider's retry is processed, not dropped.
 */
export class InboundPipeline {
  readonly #ctx: RuntimeContext;
  readonly #dispatcher: Dispatcher;
  readonly #turns: TurnQueue;
  readonly #wake: WakeAgent | undefined;

  constructor(
    ctx: RuntimeContext,
    dispatcher: Dispatcher,
    turns: TurnQueue,
    wake: WakeAgent | undefined,
  ) {
    this.#ctx = ctx;
    this.#dispatcher = dispatcher;
    this.#turns = turns;
    this.#wake = wake;
  }

  /** A sink for one request (or one adapter's connection), deferring slow work through `defer`. */
  sink(defer: Defer): EventSink {
    return { emit: (event) => this.handle(event, defer) };
  }

  async handle(event: InboundEvent, defer: Defer): Promise<EmitReceipt> {
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
        this.#ctx.logger.warn(
          { adapterId: adapter.id, reason: event.reason },
          'unsupported inbound event',
        );
        this.#ctx.events.emit('event.received', { event });
        return { recorded: false };
      case 'typing':
        this.#ctx.events.emit('event.received', { event });
        return { recorded: false };
    }
  }

  async #message(adapter: ChannelAdapter, event: MessageEvent, defer: Defer): Promise<EmitReceipt> {
    const { store, clock, options, agentId } = this.#ctx;
    const { message } = event;
    const claimKey = `inbound:${adapter.id}:${message.providerMessageId}`;
    if (!(await store.dedupe.claim(claimKey, options.inbound.dedupeTtlMs))) {
      this.#ctx.logger.debug(
        { adapterId: adapter.id, providerMessageId: message.providerMessageId },
        'duplicate inbound message ignored',
      );
      return { recorded: false, duplicate: true };
    }
    let recorded: { resolved: ResolvedIdentity; threadId: string; seq: number };
    try {
      const resolved = await resolveSender(this.#ctx, adapter, message.from, event.userId);
      // A provider timestamp ahead of our clock must not stretch the session window.
      const at = new Date(Math.min(message.timestamp.getTime(), clock.now()));
      await store.identities.touch(
        { channel: adapter.channel, address: resolved.identity.address },
        {
          inboundAt: at,
          adapterId: adapter.id,
          ...(event.reference === undefined ? {} : { reference: event.reference }),
        },
      );
      const thread = await store.threads.ensure({ userId: resolved.user.id, agentId });
      const entry = await store.threads.append(thread.id, {
        direction: 'inbound',
        at,
        text: message.text,
        channel: adapter.channel,
        adapterId: adapter.id,
        providerMessageId: message.providerMessageId,
        ...(message.media === undefined ? {} : { media: message.media }),
        metadata: JSON.parse(
          JSON.stringify({
            payload: message.payload,
            replyTo: message.replyTo,
            subject: message.subject,
            location: message.location,
            contacts: message.contacts,
            extra: message.metadata,
          }),
        ),
      });
      recorded = { resolved, threadId: thread.id, seq: entry.seq };
    } catch (error) {
      await store.dedupe.release(claimKey).catch(() => undefined);
      throw error;
    }
    const { resolved, threadId, seq } = recorded;
    this.#ctx.events.emit('message.received', {
      userId: resolved.user.id,
      threadId,
      seq,
      channel: adapter.channel,
      adapterId: adapter.id,
      message,
    });

    const keyword = consentKeyword(adapter.capabilities.optOut, message.text);
    if (keyword) {
      await store.consent.record({
        channel: adapter.channel,
        address: resolved.identity.address,
        status: keyword.kind === 'stop' ? 'opted-out' : 'opted-in',
        at: new Date(clock.now()),
        keyword: keyword.word,
      });
      // The carrier answers STOP, START and HELP itself; the agent is not woken for them.
      return { recorded: true, userId: resolved.user.id, threadId, seq };
    }
    await releaseHeld(this.#ctx, this.#dispatcher, {
      userId: resolved.user.id,
      channel: adapter.channel,
    });
    const wake = this.#wake;
    if (wake) {
      defer(
        this.#turns.enqueue(threadId, () => wake({ adapter, event, resolved, threadId, seq }), {
          userId: resolved.user.id,
        }),
      );
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
