import {
  abortError,
  type Clock,
  createSentParts,
  DeliveryError,
  type JsonObject,
  type JsonValue,
  type OutboundEnvelope,
  type SendResult,
} from '@threadline/core';
import type { BotFramework, ConversationTurn } from './bot-framework';
import { PROVIDER, toDeliveryError } from './errors';
import { type RenderContext, renderEnvelope } from './render/envelope';
import { sendStream } from './stream';
import { isAllowedServiceUrl } from './webhook/handler';

/**
 * Sends through the stored conversation reference (`continueConversationAsync`): checks the
 * reference and its service URL, renders, posts each activity within the timeout, and maps
 * failures through the error table. Nothing here knows botbuilder; the seam does.
 */

/** What the sender needs from the adapter. */
export interface SenderOptions {
  bot: BotFramework;
  render: RenderContext;
  serviceUrls: readonly string[];
  timeoutMs: number;
  streaming: boolean;
  clock: Clock;
}

/** Text shown while a streamed reply starts. */
export const STREAM_INFORMATIVE_TEXT = 'Typing…';

/** The stored reference, checked: it must name a conversation and an allowed service URL. */
export function usableReference(
  reference: JsonValue | undefined,
  address: string,
  serviceUrls: readonly string[],
): JsonObject {
  const ref = reference as
    | { serviceUrl?: unknown; conversation?: { id?: unknown } }
    | null
    | undefined;
  if (
    typeof ref !== 'object' ||
    ref === null ||
    typeof ref.serviceUrl !== 'string' ||
    typeof ref.conversation?.id !== 'string'
  ) {
    throw new DeliveryError(
      `no conversation reference is stored for ${address}: the app must be installed or the user must write first`,
      { category: 'unreachable', provider: PROVIDER },
    );
  }
  if (!isAllowedServiceUrl(ref.serviceUrl, serviceUrls)) {
    throw new DeliveryError(
      `the reference's service URL ${ref.serviceUrl} is not in the serviceUrls option`,
      { category: 'invalid_request', provider: PROVIDER },
    );
  }
  return reference as JsonObject;
}

function isPersonal(reference: JsonObject): boolean {
  const conversation = reference.conversation as { conversationType?: unknown } | undefined;
  return conversation?.conversationType === 'personal';
}

/**
 * Creates the send path of one adapter.
 *
 * @example
 * ```ts
 * const sender = createSender({ bot, render, serviceUrls, timeoutMs: 15_000, streaming: true, clock });
 * await sender.send(envelope);
 * ```
 */
export function createSender(options: SenderOptions) {
  const { bot, clock } = options;
  const sentParts = createSentParts();

  /**
   * Waits for `work` up to the timeout, or until `signal` aborts. botbuilder's calls take no
   * signal: an abort stops the waiting and any activity not posted yet, not a request in flight.
   */
  async function within<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (signal !== undefined) {
        onAbort = () => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }
      timer = setTimeout(
        () =>
          reject(
            new DeliveryError(`the Bot Connector did not answer within ${options.timeoutMs} ms`, {
              category: 'provider',
              retryable: true,
              provider: PROVIDER,
            }),
          ),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw toDeliveryError(error, clock.now());
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  }

  async function inConversation<T>(
    reference: JsonObject,
    work: (turn: ConversationTurn) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) throw abortError(signal);
    return within(bot.continueConversation(reference, work), signal);
  }

  return {
    async send(envelope: OutboundEnvelope, signal?: AbortSignal): Promise<SendResult> {
      const reference = usableReference(
        envelope.to.reference,
        envelope.to.address,
        options.serviceUrls,
      );
      if (envelope.stream !== undefined) {
        const { stream } = envelope;
        const result = await inConversation(
          reference,
          (turn) =>
            sendStream({
              turn,
              stream,
              personal: options.streaming && isPersonal(reference),
              informative: STREAM_INFORMATIVE_TEXT,
              clock,
            }),
          signal,
        );
        return { providerMessageId: result.id, status: 'sent' };
      }
      const activities = renderEnvelope(envelope, options.render);
      if (activities.length === 0) {
        throw new DeliveryError('the message has nothing Teams can show', {
          category: 'invalid_request',
          provider: PROVIDER,
        });
      }
      const ids = await sentParts.resume(envelope.deliveryId, async (ids) => {
        await inConversation(
          reference,
          async (turn) => {
            for (const activity of activities.slice(ids.length)) {
              if (signal?.aborted) throw abortError(signal);
              ids.push(await turn.post(activity));
            }
          },
          signal,
        );
      });
      return {
        providerMessageId: ids[0] as string,
        ...(ids.length > 1 ? { providerMessageIds: ids } : {}),
        status: 'sent',
      };
    },

    async typing(reference: JsonValue | undefined, address: string): Promise<void> {
      const usable = usableReference(reference, address, options.serviceUrls);
      await inConversation(usable, (turn) => turn.post({ type: 'typing' }));
    },
  };
}
