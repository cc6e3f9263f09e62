import type { DeliveryErrorCategory } from '../../errors/categories';
import { DELIVERY_ERROR_CATEGORIES } from '../../errors/categories';
import { DeliveryError } from '../../errors/delivery';
import { ThreadlineError } from '../../errors/threadline-error';
import type { DeliveryStatus } from '../../message/status';
import type { Delivery, DeliveryFailure } from '../../store/deliveries';
import { fromStoredPayload } from '../outbox/payload';

/**
 * What a send resolves with. The rule, in one place (docs/sending.md):
 * - the provider accepted it → `sent`;
 * - the first attempt failed but may succeed later (a 5xx, a timeout, throttling) → `queued`: the
 *   outbox retries in the background with backoff, and the result says when and why;
 * - a free-form message met a closed session window and the caller chose `queue` → `held`;
 * - `sendAt` is in the future → `scheduled`;
 * - anything that cannot succeed by retrying (opted out, bad request, unknown template, window
 *   closed with `fail`) **throws** a `ThreadlineError` (a `DeliveryError` once a delivery exists).
 */

/** Every warning a send can carry. Switch on these, never on the message text. */
export const SEND_WARNING_CODES = [
  /** The first attempt failed with a retryable error; the outbox retries (`outcome: 'queued'`). */
  'retrying',
  /** The window was closed: the message is held and the re-engagement template went out. */
  'window_closed_template_sent',
  /** The window was closed and no re-engagement template is configured: it waits for the user. */
  'no_re_engagement_template',
  /** The window was closed and the re-engagement template itself failed. */
  're_engagement_failed',
  /** A MARKETING template to a US (+1) number, which Meta may not deliver. */
  'marketing_to_us_number',
  /** Sent, but the thread entry (or the delivery's completion) could not be recorded. */
  'not_recorded',
  /** Streaming failed on the way out; the finished text was sent as one message. */
  'streaming_fallback',
  /** A deprecated input form was used; the message says what replaces it. */
  'deprecated_input',
] as const;

/** One of {@link SEND_WARNING_CODES}. */
export type SendWarningCode = (typeof SEND_WARNING_CODES)[number];

/** Something the host should know about a send that did not fail. */
export interface SendWarning {
  code: SendWarningCode;
  message: string;
}

/** The fields every send result has, whatever its outcome. */
export interface SendOutputBase {
  /** Stable over the delivery's life: pass it to `deliveries.get`. */
  deliveryId: string;
  /** The delivery's status now (`accepted`, then `sent`, `delivered`, `read` as receipts arrive). */
  status: DeliveryStatus;
  /** Whether it was recorded to the user's thread (not for a Teams `conversationId` send). */
  persisted: boolean;
  userId?: string;
  /** The channel-native address used (E.164, email, PSID…). */
  identifier: string;
  /** The sender: the id of the adapter that sends it (pass it as `from` to pin it). */
  from: string;
  /** @deprecated Use `from` (the same value). Removed in the next minor. */
  channelIdentifier: string;
  /** Empty when nothing needs the host's attention. */
  warnings: SendWarning[];
  /** @deprecated Use `warnings` (typed codes). The messages joined with `; `. */
  warning?: string;
}

/** Fields only one outcome has, absent on the others (so reading them needs no narrowing). */
interface NotSent {
  delivered: false;
  messageId?: undefined;
}

/** The provider accepted the message. */
export interface SentOutput extends SendOutputBase {
  outcome: 'sent';
  delivered: true;
  /** The provider's message id (the first, when the message was split). */
  messageId: string;
  queued?: undefined;
}

/** The first attempt failed with a retryable error; the outbox retries it in the background. */
export interface QueuedOutput extends SendOutputBase, NotSent {
  outcome: 'queued';
  queued?: undefined;
  /** When the next attempt is due. */
  retryAt: Date;
  /** Why the last attempt failed (absent when no attempt has finished yet). */
  lastError?: DeliveryFailure;
}

/** Held behind a closed session window until the user writes again on that channel. */
export interface HeldOutput extends SendOutputBase, NotSent {
  outcome: 'held';
  /** @deprecated Use `outcome === 'held'`. */
  queued: true;
}

/** Stored for a later `sendAt`; the outbox sends it then. */
export interface ScheduledOutput extends SendOutputBase, NotSent {
  outcome: 'scheduled';
  queued?: undefined;
  sendAt: Date;
}

/**
 * What every send reports: a union TypeScript narrows on `outcome`.
 *
 * @example
 * ```ts
 * const result = await threadline.channels.send({ channel: 'whatsapp', to: { userId }, text: 'Hi' });
 * switch (result.outcome) {
 *   case 'sent': console.log(result.messageId); break;
 *   case 'queued': console.log('retrying at', result.retryAt, result.lastError?.code); break;
 *   case 'held': console.log('waiting for the user to write'); break;
 *   case 'scheduled': console.log('going out at', result.sendAt); break;
 * }
 * for (const warning of result.warnings) if (warning.code === 'marketing_to_us_number') alert(warning.message);
 * ```
 */
export type SendOutput = SentOutput | QueuedOutput | HeldOutput | ScheduledOutput;

/** The outcome names, for hosts that validate or log them. */
export type SendOutcome = SendOutput['outcome'];

const ACCEPTED: readonly DeliveryStatus[] = ['accepted', 'sent', 'delivered', 'read'];

/** What the caller knows beyond the stored delivery. */
export interface OutputExtra {
  persisted?: boolean;
  warnings?: readonly SendWarning[];
  /** The attempt parked it behind a closed window. */
  held?: boolean;
  /** The provider's id when the store could not record it (the delivery still reads `queued`). */
  messageId?: string;
}

function isDeliveryCategory(category: string): category is DeliveryErrorCategory {
  return (DELIVERY_ERROR_CATEGORIES as readonly string[]).includes(category);
}

/** The error a stored failure stands for: what the first attempt threw, for a replayed send. */
export function errorFromFailure(delivery: Delivery): ThreadlineError {
  const failure = delivery.error ?? {
    category: delivery.status === 'expired' ? 'provider' : 'unknown',
    code: `delivery_${delivery.status}`,
    message: `delivery ${delivery.id} is ${delivery.status}`,
    retryable: false,
  };
  if (failure.provider !== undefined && isDeliveryCategory(failure.category)) {
    const error = new DeliveryError(failure.message, {
      category: failure.category,
      provider: failure.provider,
      retryable: false,
      ...(failure.providerCode === undefined ? {} : { providerCode: failure.providerCode }),
      ...(failure.title === undefined ? {} : { title: failure.title }),
      ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
    });
    error.deliveryId = delivery.id;
    return error;
  }
  return new ThreadlineError(failure.message, {
    code: failure.code,
    category: failure.category,
    retryable: false,
  });
}

/**
 * The result of a send, read off its delivery. A delivery that failed for good (met again through
 * an idempotency key) throws its error, as the first call did.
 *
 * Every send ends here, so the result is built as one object, its fields set in the documented
 * order, rather than spread from a base object for each outcome (bench B5).
 */
export function toSendOutput(delivery: Delivery, extra: OutputExtra = {}): SendOutput {
  const warnings = extra.warnings === undefined ? [] : [...extra.warnings];
  const base = {
    deliveryId: delivery.id,
    status: delivery.status,
    persisted: extra.persisted ?? false,
  } as SendOutputBase;
  if (delivery.userId !== undefined) base.userId = delivery.userId;
  base.identifier = delivery.recipient;
  base.from = delivery.adapterId;
  base.channelIdentifier = delivery.adapterId;
  base.warnings = warnings;
  if (warnings.length > 0) base.warning = warnings.map((warning) => warning.message).join('; ');
  const messageId = delivery.providerMessageId ?? extra.messageId;
  if (messageId !== undefined && (ACCEPTED.includes(delivery.status) || extra.messageId)) {
    const sent = base as SentOutput;
    sent.outcome = 'sent';
    sent.delivered = true;
    sent.messageId = messageId;
    return sent;
  }
  if (delivery.status === 'failed' || delivery.status === 'expired') {
    throw errorFromFailure(delivery);
  }
  const held = extra.held === true || fromStoredPayload(delivery.payload).held === true;
  if (held || delivery.nextAttemptAt === null) {
    const output = base as HeldOutput;
    output.outcome = 'held';
    output.delivered = false;
    output.queued = true;
    return output;
  }
  if (delivery.attempts === 0) {
    const output = base as ScheduledOutput;
    output.outcome = 'scheduled';
    output.delivered = false;
    output.sendAt = delivery.nextAttemptAt;
    return output;
  }
  const output = base as QueuedOutput;
  output.outcome = 'queued';
  output.delivered = false;
  output.retryAt = delivery.nextAttemptAt;
  if (delivery.error !== undefined) output.lastError = delivery.error;
  return output;
}
