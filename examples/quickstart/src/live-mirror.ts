import type { ThreadEntry, Threadline } from '@threadline/core';
import type { WebChatAdapter } from '@threadline/webchat-ws';
import { RE_ENGAGEMENT_TEMPLATE } from './config';

/**
 * The core records a template as `[template <name>]`: it never sees the template's text, which
 * lives at Meta. The demo defined its one template, so the web chat shows what Ann's phone showed
 * (the widget draws `[template <name>]` plus a body as a template, see `<threadline-chat>`).
 */
function withTemplateBody(entry: ThreadEntry): ThreadEntry {
  if (entry.text !== `[template ${RE_ENGAGEMENT_TEMPLATE.name}]`) return entry;
  return { ...entry, text: `${entry.text}\n${RE_ENGAGEMENT_TEMPLATE.body}` };
}

/**
 * One conversation, live everywhere: whatever Ann says or is sent on another channel (WhatsApp,
 * email, Messenger, Teams, …) appears in her open web chat as it happens, with the channel's
 * badge (`<threadline-chat show-channels>`). New entries are found from the runtime's events and
 * handed to the web chat adapter's `mirror` in thread order, one thread at a time.
 */
export function mirrorOtherChannels(input: {
  threadline: Threadline;
  webchat: WebChatAdapter;
  agentId: string;
  onError: (error: unknown) => void;
}): void {
  const { threadline, webchat, agentId } = input;
  /** The last seq handed to the web chat, per thread. */
  const marks = new Map<string, number>();
  let chain = Promise.resolve();

  const catchUp = (userId: string, threadId: string, before?: number) => {
    chain = chain
      .then(async () => {
        let after = marks.get(threadId) ?? before;
        if (after === undefined) {
          const [latest] = await threadline.store.threads.read(threadId, { latest: 1 });
          after = (latest?.seq ?? 1) - 1;
        }
        const entries = await threadline.store.threads.read(threadId, { after, limit: 50 });
        for (const entry of entries) {
          await webchat.mirror({ userId, entry: withTemplateBody(entry) });
          marks.set(threadId, entry.seq);
        }
      })
      .catch(input.onError);
  };

  threadline.on('message.received', ({ userId, threadId, seq }) =>
    catchUp(userId, threadId, seq - 1),
  );
  // Outbound entries are written when their delivery is sent (or released after a hold).
  threadline.on('delivery.status', ({ userId, channel }) => {
    if (userId === undefined || channel === webchat.channel) return;
    void threadline.store.threads
      .listByUser(userId)
      .then((threads) => {
        const thread = threads.find((candidate) => candidate.agentId === agentId);
        if (thread) catchUp(userId, thread.id);
      })
      .catch(input.onError);
  });
}
