import type { WebhookOutcome } from '../http/webhook-delivery';
import type { MessengerEntry, MessengerPerson, MessengerState } from './state';
import { personMessage } from './webhooks';

/**
 * A person on Messenger or Instagram, driven from code (or from the emulator's page): each action
 * is recorded in the conversation and posted to the app as a signed webhook.
 */

/** What posting one webhook needs. */
export type PostWebhook = (
  person: MessengerPerson,
  kind: 'message' | 'status',
  event: Record<string, unknown>,
  at: number,
) => Promise<WebhookOutcome>;

export interface MessengerPersonHandle {
  readonly id: string;
  readonly platform: MessengerPerson['platform'];
  readonly name: string;
  /** Writes a text message (opens the 24-hour window). */
  send(text: string): Promise<MessengerEntry>;
  /** Taps the quick reply labelled `title` on the latest business message that has one. */
  tap(title: string): Promise<MessengerEntry>;
  /** Taps a postback button (a button or generic template) with this title and payload. */
  postback(title: string, payload: string): Promise<MessengerEntry>;
  /** Sends an image by URL. */
  sendImage(url: string): Promise<MessengerEntry>;
  /** Reacts to a message (an empty emoji unreacts). */
  react(mid: string, emoji: string): Promise<WebhookOutcome>;
  /** Reads everything sent so far: a `read` watermark (Instagram: `messaging_seen` of the last message). */
  read(): Promise<WebhookOutcome>;
  /** What the business sent this person. */
  inbox(): MessengerEntry[];
  conversation(): MessengerEntry[];
}

export interface PeopleConfig {
  state: MessengerState;
  now(): number;
  post: PostWebhook;
  onChange(person: MessengerPerson, entry: MessengerEntry): void;
}

/** Wraps a stored person with the actions above. */
export function personHandle(person: MessengerPerson, config: PeopleConfig): MessengerPersonHandle {
  const { state, now, post } = config;

  async function write(
    fields: Partial<MessengerEntry>,
    event: (entry: MessengerEntry) => Record<string, unknown>,
  ): Promise<MessengerEntry> {
    const at = now();
    const entry: MessengerEntry = { id: state.newMid(), side: 'person', at, ...fields };
    person.lastInboundAt = at;
    person.conversation.push(entry);
    config.onChange(person, entry);
    await post(person, 'message', event(entry), at);
    return entry;
  }

  return {
    id: person.id,
    platform: person.platform,
    name: person.name,
    send: (text) => write({ text }, (entry) => personMessage(entry)),
    async tap(title) {
      const offer = [...person.conversation]
        .reverse()
        .find((e) => e.side === 'business' && Array.isArray(e.message?.quick_replies));
      const choice = (
        offer?.message?.quick_replies as Array<{ title: string; payload: string }> | undefined
      )?.find((q) => q.title === title);
      if (choice === undefined)
        throw new Error(`No quick reply titled ${JSON.stringify(title)} was offered`);
      return write({ text: choice.title, payload: choice.payload }, (entry) =>
        personMessage(entry),
      );
    },
    postback: (title, payload) =>
      write({ text: title, payload }, (entry) => ({ postback: { mid: entry.id, title, payload } })),
    sendImage: (url) =>
      write({}, (entry) => personMessage(entry, [{ type: 'image', payload: { url } }])),
    react(mid, emoji) {
      const at = now();
      const reaction =
        emoji === ''
          ? { mid, action: 'unreact' }
          : { mid, action: 'react', emoji, reaction: 'other' };
      return post(person, 'message', { reaction }, at);
    },
    read() {
      const at = now();
      if (person.platform === 'instagram') {
        const last = [...person.conversation].reverse().find((e) => e.side === 'business');
        return post(person, 'status', { read: { mid: last?.id ?? '' } }, at);
      }
      return post(person, 'status', { read: { watermark: at } }, at);
    },
    inbox: () => person.conversation.filter((e) => e.side === 'business'),
    conversation: () => [...person.conversation],
  };
}
