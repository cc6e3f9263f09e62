/**
 * A delivery's lifecycle: `queued → accepted → sent → delivered → read`, or the terminal `failed`
 * and `expired`. Providers report statuses late and out of order (WhatsApp may send `read` before
 * `delivered`, retries may repeat `sent`), so a status only ever moves forward.
 */
export const DELIVERY_STATUSES = [
  'queued',
  'accepted',
  'sent',
  'delivered',
  'read',
  'failed',
  'expired',
] as const;

/** One of {@link DELIVERY_STATUSES}. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const PROGRESS: Record<DeliveryStatus, number> = {
  queued: 0,
  accepted: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  expired: 5,
};

/** `failed` and `expired` end a delivery; only an explicit retry leaves them. */
export function isTerminalStatus(status: DeliveryStatus): boolean {
  return status === 'failed' || status === 'expired';
}

/**
 * Whether a delivery in `current` may move to `next`. The one rule every store applies, so that a
 * late `sent` never undoes `delivered` and nothing leaves a terminal state.
 *
 * - forward along `queued → accepted → sent → delivered → read`: yes;
 * - to `failed` or `expired` from anything not yet `read` and not terminal: yes;
 * - anything else (backwards, the same status, out of a terminal state, failing after `read`): no.
 *
 * @example
 * ```ts
 * canAdvanceStatus('delivered', 'sent'); // false
 * canAdvanceStatus('sent', 'read');      // true (delivered was skipped)
 * ```
 */
export function canAdvanceStatus(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (isTerminalStatus(current)) return false;
  if (isTerminalStatus(next)) return current !== 'read';
  return PROGRESS[next] > PROGRESS[current];
}
