import type { AgentTurn, ThreadEntry } from '@threadline/core';

/**
 * What the demo lets its agent do beyond replying. An LLM-backed agent would offer these to the
 * model as tools (function calling).
 */
export interface AgentTools {
  /** The absolute URL of one of the demo's pictures (WhatsApp fetches media by absolute link). */
  imageUrl(name: DemoImage): string;
  /** Schedules the `reminder` job to write to the user on `channel` in `seconds`; returns when. */
  remindLater(input: {
    userId: string;
    channel: string;
    seconds: number;
    text: string;
  }): Promise<Date>;
}

/** The pictures the demo serves at `/img/<name>.png`. */
export type DemoImage = 'green-tea' | 'oolong' | 'rooibos' | 'tea-room';

/** What the agent answers: text with `:::` components, or a stream of text pieces. */
export type AgentAnswer = string | AsyncIterable<string>;

/**
 * The agent: one function from a turn of the conversation to an answer. This one follows a few
 * rules and reads the thread; replace its body with a call to your model (the README shows one
 * with `turn.thread.entries` as the chat history) and nothing else in the demo changes.
 *
 * @example
 * ```ts
 * await respond(turn, tools); // 'Hi Ann! …\n\n::: actions\n- What did I say?\n…\n:::'
 * ```
 */
export async function respond(turn: AgentTurn, tools: AgentTools): Promise<AgentAnswer> {
  const { message, user, thread } = turn;
  const text = message.text.trim();
  const said = text.toLowerCase();
  const name = user.displayName ?? 'there';

  if (text === '' && message.media?.length) {
    return `Thanks for the ${message.media[0]?.kind ?? 'file'}, ${name}! I can't look at pictures, but it is in our thread now.${SUGGESTIONS}`;
  }
  if (/what did i (say|write)|remember|earlier|history/.test(said)) {
    return recall(thread.entries, message.seq);
  }
  if (
    /menu|teas?\b|drinks?/.test(said) &&
    !MENU.some((item) => item.title.toLowerCase() === said)
  ) {
    return menu(tools);
  }
  const item = MENU.find((candidate) => candidate.title.toLowerCase() === said);
  if (item) {
    return `One ${item.title}, coming up! It will be ready when you arrive.${SUGGESTIONS}`;
  }
  if (/photo|picture|image|pic\b/.test(said)) {
    // One image, its alt text the caption: one WhatsApp message (README, "What the demo leaves out").
    return `::: images\n![Our tea room, open 8am to 8pm](${tools.imageUrl('tea-room')})\n:::`;
  }
  if (/remind/.test(said)) {
    const at = await tools.remindLater({
      userId: user.id,
      channel: message.channel,
      seconds: 60,
      text: `⏰ Reminder, ${name}: your table for two is at 7pm tonight. (You asked me at ${clockTime(message.timestamp)}.)`,
    });
    return `Done: the reminder job will write to you here at ${clockTime(at)}. Can't wait? Press "Run reminder job now" on the inspector.`;
  }
  if (said === 'yes please') return 'Booked: a table by the window at 8pm tonight. See you then!';
  if (said === 'no thanks') return 'No problem, your 7pm table stays as it is.';
  if (said === 'show me') {
    // The message held behind the closed window is released right before this turn.
    const after = await thread.read({ after: message.seq });
    if (after.some((entry) => entry.direction === 'outbound')) {
      return 'Welcome back! That is the message I was holding for you, just above.';
    }
  }
  if (/^(hi|hello|hey|hiya|good (morning|afternoon|evening)|start)\b/.test(said)) {
    return `Hi ${name}! I'm the Threadline demo agent. Web chat, WhatsApp, email or Messenger, it's one conversation to me: I remember all of it.${SUGGESTIONS}`;
  }
  return `You said "${text}". I'm a small rule-based agent: ask me what you said earlier, for the menu, for a photo or for a reminder.${SUGGESTIONS}`;
}

/** Three buttons: native reply buttons on WhatsApp (≤ 3, ≤ 20 characters), buttons on web chat. */
const SUGGESTIONS =
  '\n\n::: actions\n- What did I say?\n- Show the menu\n- Remind me in 1 min\n:::';

const MENU = [
  {
    image: 'green-tea',
    title: 'Green tea',
    subtitle: 'Sencha, Japan',
    summary: 'Fresh and grassy. £3.20',
  },
  {
    image: 'oolong',
    title: 'Oolong',
    subtitle: 'Tie Guan Yin, China',
    summary: 'Floral, half-oxidised. £3.60',
  },
  {
    image: 'rooibos',
    title: 'Rooibos',
    subtitle: 'South Africa',
    summary: 'Sweet and caffeine-free. £2.90',
  },
] as const;

/**
 * Cards: an interactive list on WhatsApp (tap a row to order), cards with pictures on web chat
 * (say a name to order). The text before the block becomes the list's body.
 */
function menu(tools: AgentTools): string {
  const cards = MENU.map(
    (item) =>
      `::: list-item\n![image](${tools.imageUrl(item.image)})\n#${item.title}\n##${item.subtitle}\n${item.summary}\n:::`,
  ).join('\n');
  return `Today's teas. Tap or name one to order:\n\n${cards}`;
}

const CHANNEL_NAMES: Record<string, string> = {
  webchat: 'web chat',
  whatsapp: 'WhatsApp',
  email: 'email',
  messenger: 'Messenger',
  instagram: 'Instagram',
  sms: 'SMS',
  teams: 'Teams',
};

/** What the user said before this message, on every channel: the thread is the memory. */
function recall(entries: readonly ThreadEntry[], currentSeq: number): string {
  const earlier = entries.filter(
    (entry) => entry.direction === 'inbound' && entry.seq < currentSeq && entry.text.trim() !== '',
  );
  if (earlier.length === 0) return `This is the first thing you've said to me.${SUGGESTIONS}`;
  const lines = earlier
    .slice(-5)
    .map(
      (entry) =>
        `- "${entry.text}" on ${CHANNEL_NAMES[entry.channel ?? ''] ?? entry.channel ?? 'an unknown channel'} at ${clockTime(entry.at)}`,
    );
  const more = earlier.length > 5 ? ` (the last 5 of ${earlier.length})` : '';
  return `Here is what you said earlier${more}:\n${lines.join('\n')}`;
}

/** `14:05` in UTC: the demo's clock may be days ahead of the wall clock, so say which. */
function clockTime(at: Date | undefined): string {
  if (at === undefined) return 'just now';
  return `${at.toISOString().slice(11, 16)} UTC`;
}
