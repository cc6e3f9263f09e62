import type { AdapterActions, Capabilities, Clock } from '@threadline/core';

/** A `markRead`, `sendTyping` or `react` call the test adapter recorded. */
export type RecordedAction =
  | { type: 'markRead'; address: string; providerMessageId: string; at: Date }
  | { type: 'typing'; address: string; replyTo?: string; at: Date }
  | {
      type: 'react';
      address: string;
      providerMessageId: string;
      emoji: string;
      /** The id the reaction itself was given. */
      reactionId: string;
      at: Date;
    };

/** What {@link recordActions} needs from the adapter. */
export interface ActionRecorderOptions {
  features: Capabilities['features'];
  clock: Clock;
  newMessageId(): string;
}

/** The recorder: the action methods to put on the adapter, and what they recorded. */
export interface ActionRecorder {
  methods: AdapterActions;
  readonly recorded: readonly RecordedAction[];
  clear(): void;
}

/**
 * Builds the optional {@link AdapterActions} of the test adapter. Each method exists only when
 * the capabilities claim its feature (`markRead`, `typing`, `reactions`), as the contract asks of
 * every adapter, so a core that calls an unclaimed action fails the test with a `TypeError`.
 *
 * @example
 * ```ts
 * const actions = recordActions({ features, clock, newMessageId: () => 'test-msg-1' });
 * await actions.methods.sendTyping?.({ to: { address: '+15550001' } });
 * actions.recorded; // [{ type: 'typing', address: '+15550001', at }]
 * ```
 */
export function recordActions(options: ActionRecorderOptions): ActionRecorder {
  const recorded: RecordedAction[] = [];
  const at = () => new Date(options.clock.now());
  const methods: AdapterActions = {};

  if (options.features.markRead) {
    methods.markRead = async ({ to, providerMessageId }) => {
      recorded.push({ type: 'markRead', address: to.address, providerMessageId, at: at() });
    };
  }
  if (options.features.typing) {
    methods.sendTyping = async ({ to, replyTo }) => {
      recorded.push({
        type: 'typing',
        address: to.address,
        ...(replyTo === undefined ? {} : { replyTo }),
        at: at(),
      });
    };
  }
  if (options.features.reactions) {
    methods.react = async ({ to, providerMessageId, emoji }) => {
      const reactionId = options.newMessageId();
      recorded.push({
        type: 'react',
        address: to.address,
        providerMessageId,
        emoji,
        reactionId,
        at: at(),
      });
      return { providerMessageId: reactionId, status: 'accepted' };
    };
  }

  return {
    methods,
    recorded,
    clear() {
      recorded.length = 0;
    },
  };
}
