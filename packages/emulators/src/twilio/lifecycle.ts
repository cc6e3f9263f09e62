import type { BackgroundWork } from '../background-work';
import type { WebhookOutcome } from '../http/webhook-delivery';
import type { TwilioEmulatorConfig } from './options';
import type { SmsMessage, TwilioState } from './state';
import { postStatus, statusParams } from './webhooks';

/**
 * A created message's life: `queued` (or `accepted`) → `sent` → `delivered`, or `undelivered`
 * with the carrier error queued for that phone (`failNext`). Every step posts a status callback
 * when the send asked for one.
 */

/** What the lifecycle needs. */
export interface LifecycleConfig {
  config: TwilioEmulatorConfig;
  state: TwilioState;
  work: BackgroundWork;
  onChange(message: SmsMessage): void;
  onCallbackFailure(message: SmsMessage, outcome: WebhookOutcome): void;
}

/** Starts the lifecycle of outbound messages. */
export function createLifecycle(input: LifecycleConfig): (message: SmsMessage) => void {
  const { config, state, work } = input;

  async function step(message: SmsMessage, status: string, errorCode?: number) {
    state.update(message, status, errorCode);
    input.onChange(message);
    if (message.statusCallback === undefined) return;
    const outcome = await postStatus({
      url: message.statusCallback,
      authToken: config.authToken,
      params: statusParams(config.accountSid, message),
      policy: config.webhookRetry,
      sleep: work.sleep,
      signal: work.signal,
    });
    if (!outcome.ok) input.onCallbackFailure(message, outcome);
  }

  return (message) => {
    work.run(async () => {
      await work.sleep(config.statusDelaysMs.sent);
      await step(message, 'sent');
      await work.sleep(config.statusDelaysMs.delivered);
      const failure = state.takeFailure(message.to);
      if (failure === undefined) await step(message, 'delivered');
      else await step(message, 'undelivered', failure);
    });
  };
}
