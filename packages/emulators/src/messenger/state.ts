import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

/** Which inbox a person writes to: the Page on Messenger, or the Instagram account. */
export type MetaPlatform = 'messenger' | 'instagram';

/** One message in a conversation, either side. */
export interface MessengerEntry {
  /** The `mid`. */
  id: string;
  side: 'person' | 'business';
  /** For business messages: sent through the Send API (`app`) or by a person in the inbox. */
  author?: 'app' | 'inbox';
  at: number;
  text?: string;
  /** The Send API `message` as the app sent it (quick replies, an attachment, a template). */
  message?: Record<string, unknown>;
  /** `MESSAGE_TAG` sends: the tag. */
  tag?: string;
  /** A quick-reply payload or postback payload the person sent. */
  payload?: string;
  reaction?: string;
}

/** Someone who wrote to the Page or the Instagram account. */
export interface MessengerPerson {
  /** The PSID (Messenger) or IGSID (Instagram). */
  id: string;
  platform: MetaPlatform;
  name: string;
  lastInboundAt?: number;
  conversation: MessengerEntry[];
}

/** The emulator's memory: people and their conversations. */
export interface MessengerState {
  create(platform: MetaPlatform, name: string): MessengerPerson;
  person(id: string): MessengerPerson | undefined;
  people(platform?: MetaPlatform): MessengerPerson[];
  /** Whether the standard window is open for the person now. */
  windowOpen(person: MessengerPerson): boolean;
  /** When the window closes (epoch ms), or `undefined` if the person never wrote. */
  windowClosesAt(person: MessengerPerson): number | undefined;
  newMid(): string;
  entry(mid: string): { person: MessengerPerson; entry: MessengerEntry } | undefined;
}

/** Page-scoped and Instagram-scoped ids are unrelated numbers; the prefixes keep them apart. */
const ID_PREFIX: Record<MetaPlatform, string> = { messenger: '2500', instagram: '1790' };

export function createMessengerState(config: { clock: Clock; windowMs: number }): MessengerState {
  const people = new Map<string, MessengerPerson>();
  let next = 1;
  const closesAt = (person: MessengerPerson) =>
    person.lastInboundAt === undefined ? undefined : person.lastInboundAt + config.windowMs;
  const state: MessengerState = {
    create(platform, name) {
      const id = `${ID_PREFIX[platform]}${String(next++).padStart(12, '0')}`;
      const person: MessengerPerson = { id, platform, name, conversation: [] };
      people.set(id, person);
      return person;
    },
    person: (id) => people.get(id),
    people: (platform) =>
      [...people.values()].filter((p) => platform === undefined || p.platform === platform),
    windowOpen(person) {
      const at = closesAt(person);
      return at !== undefined && config.clock.now() < at;
    },
    windowClosesAt: closesAt,
    newMid: () => `m_${randomBytes(12).toString('base64url')}`,
    entry(mid) {
      for (const person of people.values()) {
        const entry = person.conversation.find((e) => e.id === mid);
        if (entry) return { person, entry };
      }
      return undefined;
    },
  };
  return state;
}
