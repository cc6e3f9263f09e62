import type { ChannelAdapter } from '../../adapter/contract';
import type { Capabilities } from '../../capabilities/schema';
import {
  NotReachableError,
  OptedOutError,
  ValidationError,
  WindowClosedError,
} from '../../errors/index';
import type { Identity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { ClosedWindowBehaviour } from './types';
import { isWindowOpen, usableWindowTag, windowClosesAt } from './window';

/**
 * Whether a warm-only channel may reach the identity. With `warmBy: 'reference'` only a live
 * reference counts: a `null` one was withdrawn by the adapter (an uninstall), and stores may read
 * a stored `null` back as absent, so both mean cold.
 *
 * @example
 * ```ts
 * const identity = await threadline.store.identities.get({ channel: 'teams', address });
 * isWarm(teams.capabilities.reach, identity ?? {}); // false until the app is installed
 * ```
 */
export function isWarm(
  reach: Pick<Capabilities['reach'], 'warmBy'>,
  identity: Pick<Identity, 'lastInboundAt' | 'reference'>,
): boolean {
  if (reach.warmBy === 'reference') {
    return identity.reference !== undefined && identity.reference !== null;
  }
  return identity.lastInboundAt !== undefined || identity.reference !== undefined;
}

/**
 * What a send may do now: go out (with a message tag when the window is closed but a tag lets it
 * out), or wait behind a closed window.
 */
export interface PolicyDecision {
  action: 'send' | 'hold';
  tag?: string;
}

/** What the send policy decides on. */
export interface SendPolicyInput {
  adapter: ChannelAdapter;
  identity: Identity;
  kind: 'free-form' | 'template';
  onClosedWindow: ClosedWindowBehaviour;
  tag?: string;
  /** Whether the address opted out, when the caller read it with the identity a moment ago. */
  optedOut?: boolean;
}

/**
 * The per-channel rules, read from the adapter's capabilities (never from the channel's name):
 * opt-out first (nothing ever goes to an opted-out address), then warm-only reach, then the
 * session window for free-form messages. Templates may go outside the window where the channel
 * says so; that is what they are for. Where the window allows message tags, a closed window lets
 * the message out with the first of the adapter's `windowTags` that still applies (`tag` asks for
 * one); only when none does is it held or failed. Reads consent when the caller has not.
 */
export async function checkSendPolicy(
  ctx: RuntimeContext,
  input: SendPolicyInput,
): Promise<PolicyDecision> {
  const { channel } = input.adapter;
  const optedOut =
    input.optedOut ??
    (await ctx.store.consent.isOptedOut({ channel, address: input.identity.address }));
  return decideSendPolicy(ctx, input, optedOut);
}

/**
 * {@link checkSendPolicy} once consent is known: synchronous, so a send whose recipient read
 * brought consent along (every send on a store with `outbound`) awaits nothing here.
 */
export function decideSendPolicy(
  ctx: RuntimeContext,
  input: SendPolicyInput,
  optedOut: boolean,
): PolicyDecision {
  const { adapter, identity, kind, onClosedWindow } = input;
  const { capabilities, channel } = adapter;
  if (optedOut) {
    throw new OptedOutError({ channel, address: identity.address, userId: identity.userId });
  }
  if (capabilities.reach.cold === 'warm-only' && !isWarm(capabilities.reach, identity)) {
    throw new NotReachableError({
      channel,
      userId: identity.userId,
      address: identity.address,
      reason:
        capabilities.reach.warmBy === 'reference'
          ? 'this channel is warm-only and holds no conversation reference for the user (never installed, or uninstalled)'
          : 'this channel is warm-only and the user has never written on it',
    });
  }
  if (kind === 'template') {
    if (!capabilities.templates.supported) {
      throw new ValidationError('template send', [
        { path: 'channel', message: `${channel} has no provider templates` },
      ]);
    }
    return { action: 'send' };
  }
  if (input.tag !== undefined && !adapter.windowTags?.includes(input.tag)) {
    throw new ValidationError('send options', [
      {
        path: 'options.tag',
        message: `${JSON.stringify(input.tag)} is not one of adapter ${adapter.id}'s message tags (${(adapter.windowTags ?? []).join(', ') || 'none'})`,
      },
    ]);
  }
  const now = ctx.clock.now();
  if (isWindowOpen(capabilities.window, identity.lastInboundAt, now)) return { action: 'send' };
  const tag = usableWindowTag({
    window: capabilities.window,
    allowed: adapter.windowTags,
    ...(input.tag === undefined ? {} : { requested: input.tag }),
    lastInboundAt: identity.lastInboundAt,
    now,
  });
  if (tag !== undefined) return { action: 'send', tag };
  if (onClosedWindow === 'fail') {
    throw new WindowClosedError({
      channel,
      address: identity.address,
      userId: identity.userId,
      ...(capabilities.window && identity.lastInboundAt
        ? { closedAt: new Date(windowClosesAt(capabilities.window, identity.lastInboundAt)) }
        : {}),
    });
  }
  return { action: 'hold' };
}
