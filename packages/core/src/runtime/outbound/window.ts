import type { SessionWindow } from '../../capabilities/schema';

/**
 * The session-window rule, in one place. WhatsApp (and Messenger) allow free-form messages only
 * within `window.hours` of the user's last inbound message; our own outbound messages never extend
 * it. A channel without a window (`null`) is always open.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 *
 * @example
 * ```ts
 * isWindowOpen({ hours: 24, outside: 'template' }, lastInboundAt, Date.now());
 * ```
 */
export function isWindowOpen(
  window: SessionWindow | null,
  lastInboundAt: Date | undefined,
  now: number,
): boolean {
  if (window === null) return true;
  if (lastInboundAt === undefined) return false;
  return now < windowClosesAt(window, lastInboundAt);
}

/** When the window that `lastInboundAt` opened closes (epoch ms). */
export function windowClosesAt(window: SessionWindow, lastInboundAt: Date): number {
  return lastInboundAt.getTime() + window.hours * 3_600_000;
}

/**
 * The message tag that lets a free-form message out of a closed window, or `undefined` when none
 * may. Only channels whose window says `outside: 'tag'` have tags; a tag is usable when the
 * adapter's app may use it (`allowed`, in order of preference), the capabilities declare it, and
 * its own time limit (Messenger's `HUMAN_AGENT`: 7 days after the user's last message) has not
 * run out. With `requested`, only that tag is considered.
 * Source: https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
 *
 * @example
 * ```ts
 * usableWindowTag({
 *   window: { hours: 24, outside: 'tag', tags: [{ name: 'HUMAN_AGENT', hours: 168, use: 'human replies' }] },
 *   allowed: ['HUMAN_AGENT'], lastInboundAt, now: Date.now(),
 * }); // 'HUMAN_AGENT' within 7 days of the user's last message
 * ```
 */
export function usableWindowTag(input: {
  window: SessionWindow | null;
  allowed: readonly string[] | undefined;
  requested?: string;
  lastInboundAt: Date | undefined;
  now: number;
}): string | undefined {
  const { window, allowed = [], requested, lastInboundAt, now } = input;
  if (window === null || window.outside !== 'tag') return undefined;
  const candidates = requested === undefined ? allowed : allowed.filter((t) => t === requested);
  return candidates.find((name) => {
    const declared = window.tags?.find((tag) => tag.name === name);
    if (declared === undefined) return false;
    if (declared.hours === undefined) return true;
    return (
      lastInboundAt !== undefined && now < lastInboundAt.getTime() + declared.hours * 3_600_000
    );
  });
}
