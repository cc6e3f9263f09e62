import type { ChannelAdapter } from '../adapter/contract';
import { NotReachableError, ValidationError } from '../errors/index';
import type { ThreadStore } from '../store/thread-store';
import type { Telemetry } from '../telemetry/telemetry';
import type { Clock } from '../time/clock';
import type { Logger } from '../time/logger';
import type { ThreadlineEvents } from './events';
import type { ErrorContext, ResolvedThreadlineOptions } from './options';

/** The configured adapters, looked up by id and by channel. The first of a channel is its default. */
export class AdapterRegistry {
  readonly #byId = new Map<string, ChannelAdapter>();
  readonly #byChannel = new Map<string, ChannelAdapter[]>();

  constructor(adapters: readonly ChannelAdapter[]) {
    for (const adapter of adapters) {
      this.#byId.set(adapter.id, adapter);
      const list = this.#byChannel.get(adapter.channel) ?? [];
      list.push(adapter);
      this.#byChannel.set(adapter.channel, list);
    }
  }

  get(id: string): ChannelAdapter | undefined {
    return this.#byId.get(id);
  }

  all(): ChannelAdapter[] {
    return [...this.#byId.values()];
  }

  forChannel(channel: string): ChannelAdapter[] {
    return this.#byChannel.get(channel) ?? [];
  }

  /**
   * The sender for a channel: the pinned `channelIdentifier`, else the adapter that last served the
   * recipient (if still configured for that channel), else the channel's first adapter.
   */
  resolveSender(input: {
    channel: string;
    channelIdentifier?: string;
    lastAdapterId?: string;
  }): ChannelAdapter {
    const { channel, channelIdentifier, lastAdapterId } = input;
    if (channelIdentifier !== undefined) {
      const pinned = this.#byId.get(channelIdentifier);
      if (!pinned) {
        throw new ValidationError('send options', [
          {
            path: 'from',
            message: `no adapter with id ${JSON.stringify(channelIdentifier)}`,
          },
        ]);
      }
      if (pinned.channel !== channel) {
        throw new ValidationError('send options', [
          {
            path: 'from',
            message: `adapter ${JSON.stringify(channelIdentifier)} serves ${pinned.channel}, not ${channel}`,
          },
        ]);
      }
      return pinned;
    }
    const candidates = this.forChannel(channel);
    const last = candidates.find((adapter) => adapter.id === lastAdapterId);
    const chosen = last ?? candidates[0];
    if (!chosen)
      throw new NotReachableError({ channel, reason: 'no adapter is configured for this channel' });
    return chosen;
  }
}

/** Promises running after a caller got its answer; awaited by `idle()` and `stop()`. */
export class BackgroundWork {
  readonly #pending = new Set<Promise<unknown>>();
  #waits = new AbortController();

  /** Aborted by `stop()`: background waits (a receipt looking for its delivery) end early. */
  get signal(): AbortSignal {
    return this.#waits.signal;
  }

  /** Ends every background wait now (on `stop()`), so shutting down never sits out a delay. */
  cancelWaits(): void {
    this.#waits.abort();
  }

  /** Lets background work wait again (on `start()` after a `stop()`). */
  resumeWaits(): void {
    if (this.#waits.signal.aborted) this.#waits = new AbortController();
  }

  track(promise: Promise<unknown>): void {
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  /** Resolves once every tracked promise, including ones started meanwhile, has settled. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

/** Everything the runtime's parts share. Built once by `createThreadline`. */
export interface RuntimeContext {
  store: ThreadStore;
  adapters: AdapterRegistry;
  agentId: string;
  instanceId: string;
  clock: Clock;
  logger: Logger;
  events: ThreadlineEvents;
  options: ResolvedThreadlineOptions;
  background: BackgroundWork;
  random: () => number;
  telemetry: Telemetry;
  reportError(error: unknown, context: ErrorContext): void;
}
