import {
  type ChannelAdapter,
  type Delivery,
  isWarm,
  isWindowOpen,
  type MessagePart,
  parseMessage,
  type Threadline,
  windowClosesAt,
} from '@threadline/core';
import type { ChannelPanel } from './channels';
import type { DemoClock } from './clock';
import { DEMO_USER, RE_ENGAGEMENT_TEMPLATE } from './config';
import { type TourStep, tourSteps } from './tour';

/** One line of the inspector's activity log: what the buttons, the agent and the jobs did. */
export interface ActivityItem {
  at: string;
  text: string;
  detail?: unknown;
}

/** The last things that happened, newest last (at most `limit`). */
export class ActivityLog {
  readonly #items: ActivityItem[] = [];
  readonly #limit: number;
  readonly #now: () => number;

  constructor(now: () => number, limit = 40) {
    this.#now = now;
    this.#limit = limit;
  }

  add(text: string, detail?: unknown): void {
    this.#items.push({
      at: new Date(this.#now()).toISOString(),
      text,
      ...(detail === undefined ? {} : { detail }),
    });
    if (this.#items.length > this.#limit) this.#items.shift();
  }

  items(): ActivityItem[] {
    return [...this.#items];
  }
}

/** What the inspector page shows: JSON from `GET /api/state`. */
export interface InspectorState {
  now: string;
  clockOffsetHours: number;
  store: string;
  users: InspectorUser[];
  activity: ActivityItem[];
  /** The home page's guided tour, for the demo user. */
  tour: TourStep[];
}

export interface InspectorUser {
  id: string;
  displayName?: string;
  phoneNumbers: string[];
  identities: Array<{
    channel: string;
    address: string;
    lastInboundAt?: string;
    /** `open`/`closed` for channels with a session window, `none` for the others. */
    window: 'open' | 'closed' | 'none';
    windowClosesAt?: string;
    /** Warm-only channels (Teams, Messenger, Instagram): whether the bot may write first. */
    reach?: 'warm' | 'cold';
  }>;
  thread: Array<{
    seq: number;
    direction: string;
    channel?: string;
    /** As stored, `:::` blocks included. */
    text: string;
    /** The same, each component block shortened to one line: `[buttons: Yes · No]`. */
    summary: string;
    at: string;
    deliveryId?: string;
  }>;
  deliveries: Array<{
    id: string;
    channel: string;
    origin: string;
    status: string;
    summary: string;
    held: boolean;
    createdAt: string;
    error?: string;
    events: Array<{ status: string; at: string; source: string; detail?: string }>;
  }>;
}

/** What the snapshot reads from. */
export interface InspectorSources {
  threadline: Threadline;
  adapters: readonly ChannelAdapter[];
  /** Each channel's emulator knows some addresses (the users after a restart). */
  panels: readonly ChannelPanel[];
  clock: DemoClock;
  storeDescription: string;
  /** Users seen by this process (the store has no "list users": a real app has its own). */
  knownUsers: ReadonlySet<string>;
  activity: ActivityLog;
}

/**
 * Everything the inspector shows, read through Threadline's public API: users, their identities
 * per channel (with the WhatsApp window), the one thread, and deliveries with their history.
 */
export async function inspectorSnapshot(sources: InspectorSources): Promise<InspectorState> {
  const { threadline, clock } = sources;
  const userIds = new Set(sources.knownUsers);
  // After a restart this process has seen nobody yet: the outbox and the emulators' address
  // books remember who there was.
  for (const delivery of await threadline.deliveries.list({ limit: 200 }))
    if (delivery.userId) userIds.add(delivery.userId);
  for (const panel of sources.panels)
    for (const key of panel.knownAddresses?.() ?? []) {
      const identity = await threadline.store.identities.get(key);
      if (identity) userIds.add(identity.userId);
    }
  const users: InspectorUser[] = [];
  for (const id of userIds) {
    const user = await threadline.users.find(id);
    if (user) users.push(await describeUser(sources, user.id));
  }
  const clockOffsetHours = Math.round(clock.offsetMs() / 3_600_000);
  return {
    now: new Date(clock.now()).toISOString(),
    clockOffsetHours,
    tour: tourSteps(
      users.find((user) => user.id === DEMO_USER.id),
      clockOffsetHours,
    ),
    store: sources.storeDescription,
    users,
    activity: sources.activity.items(),
  };
}

async function describeUser(sources: InspectorSources, userId: string): Promise<InspectorUser> {
  const { threadline, clock } = sources;
  const handle = threadline.users.get(userId);
  const user = await handle.load();
  const now = clock.now();
  const identities = (await handle.identities()).map((identity) => {
    const capabilities = sources.adapters.find(
      (adapter) => adapter.channel === identity.channel,
    )?.capabilities;
    const window = capabilities?.window ?? null;
    const reach = capabilities?.reach;
    return {
      channel: identity.channel,
      address: identity.address,
      ...(identity.lastInboundAt ? { lastInboundAt: identity.lastInboundAt.toISOString() } : {}),
      window:
        window === null
          ? ('none' as const)
          : isWindowOpen(window, identity.lastInboundAt, now)
            ? ('open' as const)
            : ('closed' as const),
      ...(window && identity.lastInboundAt
        ? { windowClosesAt: new Date(windowClosesAt(window, identity.lastInboundAt)).toISOString() }
        : {}),
      ...(reach?.cold === 'warm-only' ? { reach: isWarm(reach, identity) ? 'warm' : 'cold' } : {}),
    } as InspectorUser['identities'][number];
  });
  const thread = (await handle.thread({ latest: 200 })).map((entry) => ({
    seq: entry.seq,
    direction: entry.direction,
    ...(entry.channel === undefined ? {} : { channel: entry.channel }),
    text: entry.text,
    summary: summarize(entry.text),
    at: entry.at.toISOString(),
    ...(entry.deliveryId === undefined ? {} : { deliveryId: entry.deliveryId }),
  }));
  const deliveries = (await threadline.deliveries.list({ userId, limit: 100 })).map(describe);
  return {
    id: user.id,
    ...(user.displayName === undefined ? {} : { displayName: user.displayName }),
    phoneNumbers: user.phoneNumbers,
    identities,
    thread,
    deliveries,
  };
}

function describe(delivery: Delivery): InspectorUser['deliveries'][number] {
  const payload = delivery.payload as {
    text?: string;
    template?: { name?: string };
    held?: boolean;
  };
  const summary = payload.template?.name
    ? `template ${payload.template.name}`
    : summarize(payload.text ?? '') || '(media)';
  return {
    id: delivery.id,
    channel: delivery.channel,
    origin: delivery.origin,
    status: delivery.status,
    summary,
    held: payload.held === true,
    createdAt: delivery.createdAt.toISOString(),
    ...(delivery.error ? { error: `${delivery.error.category}: ${delivery.error.message}` } : {}),
    events: delivery.events.map((event) => ({
      status: event.status,
      at: event.at.toISOString(),
      source: event.source,
      ...(event.detail === undefined ? {} : { detail: event.detail }),
    })),
  };
}

/** Message text with each `:::` block as one line, so the thread reads like a conversation. */
export function summarize(text: string): string {
  return parseMessage(text).map(describePart).join('\n');
}

function describePart(part: MessagePart): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'actions':
      return `[buttons: ${part.actions.map((action) => action.label).join(' · ')}]`;
    case 'list-item':
    case 'horizontal-list-item':
      return `[cards: ${part.items.map((item) => item.title).join(' · ')}]`;
    case 'images':
      return `[images: ${part.images.map((image) => image.alt ?? image.url).join(' · ')}]`;
    default:
      return `[${part.type}]`;
  }
}

/** One activity line for an inspector action's answer (a send: sent, or held). */
export function describeOutcome(label: string, userId: string, result: unknown): string {
  const sent = result as { queued?: boolean; status?: string; deliveryId?: string } | undefined;
  if (sent?.deliveryId === undefined) return `${label} for ${userId}: done`;
  return sent.queued
    ? `${label} for ${userId}: window closed, text held${label.includes('WhatsApp') ? `, re-engagement template ${RE_ENGAGEMENT_TEMPLATE.name} sent` : ' until she writes'} (queued: true)`
    : `${label} for ${userId}: sent (${sent.status})`;
}

/** One line of at most 80 characters for the activity log. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || '(media)';
}
