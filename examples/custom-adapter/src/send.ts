import {
  abortError,
  DeliveryError,
  type OutboundEnvelope,
  planRender,
  type SendResult,
  type SentParts,
} from '@threadline/core';
import { buttonData } from './button-data';
import { relayCapabilities } from './capabilities';
import { type RelayErrorBody, relayError } from './errors';
import type { ResolvedRelayOptions } from './options';

/** One Relay `sendMessage` call. */
export interface RelayMessage {
  chat_id: number;
  text: string;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
  reply_to_message_id?: number;
}

/**
 * Renders an envelope into Relay calls: `::: actions` become an inline keyboard on the message
 * before them (Relay buttons must hang off a message), everything else is text within the limit.
 */
export function renderEnvelope(envelope: OutboundEnvelope): RelayMessage[] {
  const chatId = Number(envelope.to.address);
  const messages: RelayMessage[] = [];
  for (const segment of planRender(envelope.parts ?? [], relayCapabilities)) {
    if (segment.type === 'text') {
      messages.push({ chat_id: chatId, text: segment.text });
    } else if (segment.part.type === 'actions') {
      const keyboard = segment.part.actions.map((action) => [
        { text: action.label, callback_data: buttonData(action.label) },
      ]);
      const last = messages.at(-1);
      if (last && !last.reply_markup) last.reply_markup = { inline_keyboard: keyboard };
      else
        messages.push({
          chat_id: chatId,
          text: 'Choose one:',
          reply_markup: { inline_keyboard: keyboard },
        });
    }
  }
  const replyTo = envelope.replyTo?.split(':')[1];
  if (replyTo !== undefined && messages[0]) messages[0].reply_to_message_id = Number(replyTo);
  return messages;
}

/**
 * Posts one message; a network failure or timeout is a retryable `provider` error. `signal` is the
 * outbox's: once it aborts (the delivery ran past `outbox.sendTimeoutMs`) the request is cancelled
 * and the signal's reason (a retryable `SendTimeoutError`) is thrown as it is.
 */
async function post(
  options: ResolvedRelayOptions,
  message: RelayMessage,
  signal: AbortSignal | undefined,
): Promise<number> {
  let response: Response;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    response = await fetch(`${options.baseUrl}/bot${options.botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (cause) {
    if (signal?.aborted) throw abortError(signal);
    throw new DeliveryError('Relay did not answer', {
      category: 'provider',
      provider: 'relay',
      retryable: true,
      cause,
    });
  }
  const body = (await response.json().catch(() => null)) as
    | { ok: true; result: { message_id: number } }
    | RelayErrorBody
    | null;
  if (body?.ok === true) return body.result.message_id;
  if (body && body.ok === false) throw relayError(body, response.status);
  throw new DeliveryError(`Relay answered ${response.status} without a body`, {
    category: 'provider',
    provider: 'relay',
    httpStatus: response.status,
    retryable: response.status >= 500,
  });
}

/**
 * Sends every rendered message in order and returns their ids (`m<chat>:<message>`). Relay's
 * answer means the message is on its servers, so the status is `sent` (an API that only queues,
 * like Twilio's, returns `accepted`). When a later part fails, the error is thrown as it is: a
 * retryable one makes the core retry the delivery, and `sentParts` resumes after the parts that
 * went out; a permanent one fails the delivery, although the earlier parts reached the user.
 */
export async function sendEnvelope(
  options: ResolvedRelayOptions,
  envelope: OutboundEnvelope,
  sentParts: SentParts,
  signal?: AbortSignal,
): Promise<SendResult> {
  const messages = renderEnvelope(envelope);
  if (messages.length === 0) {
    throw new DeliveryError('Nothing to send: the message rendered to no text', {
      category: 'invalid_request',
      provider: 'relay',
    });
  }
  const ids = await sentParts.resume(envelope.deliveryId, async (ids) => {
    for (const message of messages.slice(ids.length)) {
      // Checked before each part: after a timeout, no further part of a split message goes out.
      if (signal?.aborted) throw abortError(signal);
      ids.push(`m${message.chat_id}:${await post(options, message, signal)}`);
    }
  });
  const [first] = ids as [string, ...string[]];
  return {
    providerMessageId: first,
    status: 'sent',
    ...(ids.length > 1 ? { providerMessageIds: ids } : {}),
  };
}
