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
