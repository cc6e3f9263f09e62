import type { BackgroundWork } from '../background-work';
import type { Clock } from '../clock';
import type { StatusError } from './errors';
import { unixSeconds } from './ids';
import type { WhatsAppState } from './state';
import type { BusinessMessage, StatusEvent } from './types';
import { type BusinessIdentity, type WebhookSender, webhookEnvelope } from './webhook';

/** Drives each accepted message through `sent → delivered → read` with status webhooks. */
export interface StatusLifecycle {
  /** Schedules `sent` then `delivered`, then `read` if the person is looking (or `autoRead`). */
  track(message: BusinessMessage): void;
  /** Posts a `failed` status carrying `error` (the asynchronous form of a Graph error). */
  fail(message: BusinessMessage, error: StatusError): void;
  /** The person read everything delivered to them: posts `read` for each. */
  readAll(waId: string): void;
}

/** What {@link createStatusLifecycle} needs. */
export interface StatusLifecycleConfig {
  business: BusinessIdentity;
  state: WhatsAppState;
  sender: WebhookSender;
  work: BackgroundWork;
  clock: Clock;
  delays: { sent: number; delivered: number; read: number };
  /** Whether a `delivered` message to this person gets read without anyone asking. */
  isReading: (waId: string) => boolean;
  /** The pricing category of a template (`utility` when unknown). */
  templateCategory: (name: string, language: string) => string;
  onStatus: (event: StatusEvent) => void;
  /** A message's status changed (the phone page redraws it). */
  onChange: (message: BusinessMessage) => void;
}

type PostedStatus = StatusEvent['status'];

/**
 * Per-message pricing (July 2025): service replies inside the window are free, templates are
 * billed by category. The shape is from Meta's status webhook reference; exact values unconfirmed.
 */
function pricing(
  message: BusinessMessage,
  templateCategory: StatusLifecycleConfig['templateCategory'],
) {
  if (message.body.type !== 'template') {
    return {
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    };
  }
  const { name, language } = message.body.template;
  return {
    billable: true,
    pricing_model: 'PMP',
    type: 'regular',
    category: templateCategory(name, language.code),
  };
}

/**
 * Creates the {@link StatusLifecycle}. Statuses of one message are posted strictly one after the
 * other (a retried `sent` is never overtaken by `delivered`), because the tests and the demo
 * are about showing the happy order; the "out of order" case belongs to unit tests with msw.
 *
 * @example
 * ```ts
 * const statuses = createStatusLifecycle(config);
 * statuses.track(message); // sent after 50 ms, delivered 150 ms later, read when the page is open
 * ```
 */
export function createStatusLifecycle(config: StatusLifecycleConfig): StatusLifecycle {
  const { work, delays } = config;
  const chains = new Map<string, Promise<void>>();

  function postInOrder(message: BusinessMessage, status: PostedStatus, error?: StatusError) {
    // The status moves now, so later decisions (is it delivered yet?) see it even while the
    // webhook for it is still queued behind an earlier one.
    message.status = status;
    config.onChange(message);
    const payload = {
      id: message.id,
      status,
      timestamp: unixSeconds(config.clock.now()),
      recipient_id: message.to,
      ...(message.body.biz_opaque_callback_data === undefined
        ? {}
        : { biz_opaque_callback_data: message.body.biz_opaque_callback_data }),
      ...(status === 'sent' || status === 'delivered'
        ? { pricing: pricing(message, config.templateCategory) }
        : {}),
      ...(error === undefined ? {} : { errors: [error] }),
    };
    const previous = chains.get(message.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      const envelope = webhookEnvelope(config.business, { statuses: [payload] });
      const outcome = await config.sender.post('status', envelope);
      config.onStatus({ messageId: message.id, status, recipient: message.to, outcome });
    });
    chains.set(message.id, next);
    void next
      .finally(() => {
        if (chains.get(message.id) === next) chains.delete(message.id);
      })
      .catch(() => undefined);
    return next;
  }

  return {
    track(message) {
      work.run(async () => {
        await work.sleep(delays.sent);
        await postInOrder(message, 'sent');
        await work.sleep(delays.delivered);
        await postInOrder(message, 'delivered');
        if (!config.isReading(message.to)) return;
        await work.sleep(delays.read);
        // The page may have opened meanwhile and read it already.
        if (message.status === 'delivered') await postInOrder(message, 'read');
      });
    },
    fail(message, error) {
      work.run(async () => {
        await work.sleep(delays.sent);
        await postInOrder(message, 'failed', error);
      });
    },
    readAll(waId) {
      for (const entry of config.state.person(waId).conversation) {
        if (entry.side === 'business' && entry.status === 'delivered') {
          work.run(() => postInOrder(entry, 'read'));
        }
      }
    },
  };
}
