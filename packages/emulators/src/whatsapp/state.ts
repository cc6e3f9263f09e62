import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { graphObjectId } from './ids';
import type { ConversationEntry, StoredMedia } from './types';

/** One person the emulator knows: the far end of a conversation. */
export interface PersonState {
  waId: string;
  /** `contacts[].profile.name` in webhooks. */
  name: string;
  /** When they last wrote: opens the 24-hour window. */
  lastInboundAt?: number;
  conversation: ConversationEntry[];
}

/** Everything the WhatsApp emulator remembers, in memory. */
export interface WhatsAppState {
  /** The person with this `wa_id`, created on first mention (a business can write first). */
  person(waId: string, name?: string): PersonState;
  people(): PersonState[];
  /** Whether a free-form message to `waId` is allowed now. */
  windowOpen(waId: string): boolean;
  /** When the window closes, or `undefined` if it is closed. */
  windowClosesAt(waId: string): number | undefined;
  add(entry: ConversationEntry): void;
  entry(id: string): ConversationEntry | undefined;
  addMedia(media: { bytes: Uint8Array; mimeType: string; filename?: string }): StoredMedia;
  media(id: string): StoredMedia | undefined;
  deleteMedia(id: string): boolean;
  /** Takes one slot of the per-second throughput; `false` means over the rate (130429). */
  takeRateSlot(): boolean;
}

/** The name a person gets when nobody gave one: readable, and tells two people apart. */
function defaultName(waId: string): string {
  return `Person ${waId.slice(-4)}`;
}

/**
 * Creates the emulator's memory. Rates and windows read the injected clock, so a test can fill
 * a second's worth of sends deterministically and jump past a window without sleeping.
 *
 * @example
 * ```ts
 * const state = createWhatsAppState({ clock, windowMs: 24 * 3_600_000, rate: 80 });
 * state.person('447700900123', 'Ann').lastInboundAt = clock.now();
 * state.windowOpen('447700900123'); // true
 * ```
 */
export function createWhatsAppState(config: {
  clock: Clock;
  windowMs: number;
  rate: number;
}): WhatsAppState {
  const { clock, windowMs, rate } = config;
  const people = new Map<string, PersonState>();
  const entries = new Map<string, ConversationEntry>();
  const media = new Map<string, StoredMedia>();
  // A sliding one-second window: a fixed "current second" bucket would allow 2× the rate
  // across a boundary, which is exactly what Meta's limiter does not allow.
  const recentSends: number[] = [];

  function person(waId: string, name?: string): PersonState {
    let found = people.get(waId);
    if (found === undefined) {
      found = { waId, name: name ?? defaultName(waId), conversation: [] };
      people.set(waId, found);
    } else if (name !== undefined) {
      found.name = name;
    }
    return found;
  }

  function windowClosesAt(waId: string): number | undefined {
    const last = people.get(waId)?.lastInboundAt;
    if (last === undefined) return undefined;
    const closes = last + windowMs;
    return clock.now() < closes ? closes : undefined;
  }

  return {
    person,
    people: () => [...people.values()],
    windowClosesAt,
    windowOpen: (waId) => windowClosesAt(waId) !== undefined,
    add(entry) {
      const waId = entry.side === 'business' ? entry.to : entry.from;
      person(waId).conversation.push(entry);
      entries.set(entry.id, entry);
    },
    entry: (id) => entries.get(id),
    addMedia({ bytes, mimeType, filename }) {
      const stored: StoredMedia = {
        id: graphObjectId(),
        mimeType,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
        ...(filename === undefined ? {} : { filename }),
      };
      media.set(stored.id, stored);
      return stored;
    },
    media: (id) => media.get(id),
    deleteMedia: (id) => media.delete(id),
    takeRateSlot() {
      const now = clock.now();
      while (recentSends.length > 0 && (recentSends[0] as number) <= now - 1000)
        recentSends.shift();
      if (recentSends.length >= rate) return false;
      recentSends.push(now);
      return true;
    },
  };
}
