import type { Clock, JsonObject } from '@threadline/core';
import type { ConversationTurn } from './bot-framework';

/**
 * A streamed reply, shown as it is generated. In personal chats Teams' streaming protocol: an
 * informative update, then `streaming` typing activities carrying the text so far, then the final
 * message, all naming the stream id the first answer returned. Elsewhere (group chats, channels,
 * where Teams does not stream) one message updated in place. Updates are paced to one per second,
 * Teams' limit for streams. The stream fields travel in `channelData`, which Teams accepts as
 * well as `streaminfo` entities: botbuilder's serializer keeps only an entity's `type`. Source: https://learn.microsoft.com/microsoftteams/platform/bots/streaming-ux
 */

/** Streaming updates Teams accepts per second. */
export const STREAM_UPDATE_INTERVAL_MS = 1_000;

/** What a stream needs. */
export interface StreamOptions {
  turn: ConversationTurn;
  stream: AsyncIterable<string>;
  /** Teams streams only in 1:1 (`personal`) conversations. */
  personal: boolean;
  /** Shown before the first text, e.g. "Thinking…". */
  informative: string;
  clock: Clock;
}

/**
 * Sends the stream and resolves with the id of the final message and its full text.
 *
 * @example
 * ```ts
 * const { id, text } = await sendStream({ turn, stream, personal: true, informative: 'Thinking…', clock });
 * ```
 */
export async function sendStream(options: StreamOptions): Promise<{ id: string; text: string }> {
  const { turn, personal, clock } = options;
  let text = '';
  let sequence = 1;
  let lastSent = Number.NEGATIVE_INFINITY;
  let id: string | undefined;
  if (personal) {
    id = await turn.post({
      type: 'typing',
      text: options.informative,
      channelData: { streamType: 'informative', streamSequence: sequence },
    });
    lastSent = clock.now();
  }
  for await (const chunk of options.stream) {
    text += chunk;
    if (text.trim() === '' || clock.now() - lastSent < STREAM_UPDATE_INTERVAL_MS) continue;
    sequence += 1;
    if (personal && id !== undefined) {
      await turn.post({
        type: 'typing',
        text,
        channelData: { streamId: id, streamType: 'streaming', streamSequence: sequence },
      });
    } else if (id === undefined) {
      id = await turn.post({ type: 'message', text, textFormat: 'markdown' });
    } else {
      await turn.update(id, { type: 'message', text, textFormat: 'markdown' });
    }
    lastSent = clock.now();
  }
  const final: JsonObject = { type: 'message', text, textFormat: 'markdown' };
  if (personal && id !== undefined) {
    const finalId = await turn.post({
      ...final,
      channelData: { streamId: id, streamType: 'final' },
    });
    return { id: finalId || id, text };
  }
  if (id === undefined) return { id: await turn.post(final), text };
  await turn.update(id, final);
  return { id, text };
}
