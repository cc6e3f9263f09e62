import {
  createThreadline,
  parseMessage,
  renderFallbackText,
  type ThreadEntry,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter, deriveTestCapabilities } from '@threadline/testkit';

/**
 * A tiny host app: one loopback channel standing in for SMS, the memory store, and an agent that
 * remembers: the smallest complete host app (`pnpm demo` runs the fuller quickstart).
 */
export async function runHello(): Promise<{ thread: ThreadEntry[]; userId: string }> {
  const sms = createTestAdapter({
    id: 'loopback-sms',
    channel: 'sms',
    capabilities: deriveTestCapabilities({
      reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
      text: { maxLength: 1600, format: 'plain' },
    }),
  });
  const threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [sms],
    agentId: 'hello-agent',
    async onMessage({ message, thread, reply }) {
      const earlier = thread.entries.filter(
        (entry) => entry.direction === 'inbound' && entry.seq < message.seq,
      );
      const memory = earlier.length > 0 ? ` Earlier you said "${earlier.at(-1)?.text}".` : '';
      await reply(
        `Hello! You said "${message.text}".${memory}\n\n::: actions\n- Book a table\n- Opening hours\n:::`,
      );
    },
  });
  await threadline.start();

  // The agent reaches out first…
  const first = await threadline.channels.send({
    channel: 'sms',
    to: { phoneNumber: '+447700900123' },
    text: 'Hi Ann, your table for two is booked for 7pm.',
  });
  // …and the user answers; the agent replies each time, remembering the conversation.
  await sms.receive({ from: '+447700900123', text: 'Thanks! Can we make it 7:30?' });
  await threadline.idle();
  await sms.receive({ from: '+447700900123', text: 'And a window seat, please.' });
  await threadline.idle();

  const userId = first.userId as string;
  const thread = await threadline.users.get(userId).thread();
  await threadline.stop();
  return { thread, userId };
}

/** One line per entry, the way a person reads a conversation. */
export function formatThread(thread: readonly ThreadEntry[]): string {
  return thread
    .map((entry) => {
      const who = entry.direction === 'inbound' ? 'user ' : 'agent';
      // Components print as the text a plain channel would show.
      const text = renderFallbackText(parseMessage(entry.text)).replace(/\n+/g, ' / ');
      return `#${entry.seq} ${who} [${entry.channel}] ${text}`;
    })
    .join('\n');
}
