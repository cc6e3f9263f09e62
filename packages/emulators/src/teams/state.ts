import { randomUUID } from 'node:crypto';

/**
 * What the emulated Teams knows: people, their 1:1 conversation with the bot and whether the app
 * is installed there, and every activity in it (the person's and the bot's, updates applied).
 */

/** One activity as JSON. */
export type ActivityJson = Record<string, unknown>;

export interface ChatEntry {
  id: string;
  from: 'person' | 'bot';
  activity: ActivityJson;
  at: number;
}

export interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId: string;
  conversationId: string;
  installed: boolean;
  chat: ChatEntry[];
}

/** Stable ids per name, so a demo restart keeps Ann's ids. */
function idFor(name: string): string {
  return Buffer.from(name.toLowerCase()).toString('base64url');
}

export function createTeamsState() {
  const people = new Map<string, TeamsPerson>();
  const byConversation = new Map<string, TeamsPerson>();
  let counter = 0;
  return {
    person(name: string): TeamsPerson {
      const known = people.get(name.toLowerCase());
      if (known) return known;
      const person: TeamsPerson = {
        id: `29:${idFor(name)}`,
        name,
        aadObjectId: randomUUID(),
        conversationId: `a:${idFor(name)}-personal`,
        installed: false,
        chat: [],
      };
      people.set(name.toLowerCase(), person);
      byConversation.set(person.conversationId, person);
      return person;
    },
    byConversation: (id: string) => byConversation.get(id),
    people: () => [...people.values()],
    nextId: () => {
      counter += 1;
      return `1:${Date.now().toString(36)}-${counter}`;
    },
  };
}

export type TeamsState = ReturnType<typeof createTeamsState>;
