import type { AgentTurn, Threadline } from '@threadline/core';
import { type LanguageModel, stepCountIs, streamText } from 'ai';
import { toModelMessages } from './history';
import { createTools } from './tools';

export const DEFAULT_SYSTEM_PROMPT = `You are the assistant of a small tea room, talking to one customer
across web chat, WhatsApp, SMS and email. The history shows every message on every channel, each
prefixed with its channel in brackets; never start your own answer with such a prefix. Be brief and
warm. When the customer asks to be reminded or followed up with, call remind_me. When they want
something by email, call send_email.`;

export interface AiAgentOptions {
  /** Any AI SDK language model (`openai('gpt-4o-mini')`, a gateway id string, a mock in tests). */
  model: LanguageModel;
  /** The runtime the tools act through (jobs, `channels.email.send`). */
  threadline: () => Threadline;
  system?: string;
  /** How many model steps a turn may take (tool call, then answer): default 4. */
  maxSteps?: number;
  /** The time tools schedule from (a fake clock in tests). */
  now?: () => number;
}

/**
 * An `onMessage` handler that answers with a model through the Vercel AI SDK. The whole
 * cross-channel thread is the model's history; the answer streams into `reply`, so web chat shows
 * it as it is generated and every other channel receives the finished text; the thread records
 * the final text either way.
 *
 * @example
 * ```ts
 * const threadline = createThreadline({
 *   store, adapters,
 *   onMessage: createAiAgent({ model: openai('gpt-4o-mini'), threadline: () => threadline }),
 * });
 * ```
 */
export function createAiAgent(options: AiAgentOptions): (turn: AgentTurn) => Promise<void> {
  const now = options.now ?? Date.now;
  return async (turn) => {
    const result = streamText({
      model: options.model,
      system: options.system ?? DEFAULT_SYSTEM_PROMPT,
      messages: toModelMessages(turn.thread.entries),
      tools: createTools(options.threadline(), turn, now),
      stopWhen: stepCountIs(options.maxSteps ?? 4),
    });
    await turn.reply(result.textStream);
  };
}
