import type { BackgroundWork } from '../background-work';
import type { Clock } from '../clock';
import { toWaId } from './ids';
import { buildInboundMessage, type PersonInput } from './inbound';
import { tapTargets } from './phone-view';
import type { WhatsAppState } from './state';
import type { StatusLifecycle } from './statuses';
import type { TemplateRegistry } from './templates';
import type { BusinessMessage, ConversationEntry, PersonMessage } from './types';
import { type BusinessIdentity, type WebhookSender, webhookEnvelope } from './webhook';

/**
 * A person on WhatsApp, driven from code: what the phone page does with clicks, a test does
 * with calls.
 */
export interface Person {
  /** Digits only, as in webhooks. */
  readonly waId: string;
  readonly name: string;
  /**
   * Sends a message to the business: opens (or renews) the 24-hour window and posts a signed
   * inbound webhook. Resolves once the app answered (after any retries); check `webhook.ok`.
   */
  send(input: PersonInput): Promise<PersonMessage>;
  /**
   * Taps a reply button, list row, Flow button or template quick-reply by its label, on
   * `messageId` or else on the latest business message that has it.
   */
  tap(label: string, messageId?: string): Promise<PersonMessage>;
  /** Reads every delivered message now (as opening the phone page does). */
  read(): void;
  /** What the business sent this person, refused ones included (`status: 'refused'`). */
  inbox(): BusinessMessage[];
  /** Both sides, in order. */
  conversation(): ConversationEntry[];
  /** Whether the business may send free-form messages to this person now. */
  windowOpen(): boolean;
}

/** What {@link createPeople} needs. */
export interface PeopleConfig {
  business: BusinessIdentity;
  state: WhatsAppState;
  clock: Clock;
  sender: WebhookSender;
  statuses: StatusLifecycle;
  registry: TemplateRegistry;
  work: BackgroundWork;
  onChange: (entry: ConversationEntry) => void;
  onPosted: (entry: PersonMessage) => void;
}

/** Finds people by number and records what they send. */
export interface People {
  /** The person with this number (`+44 7700 900123`, `447700900123`…), created on first use. */
  get(phoneNumber: string, options?: { name?: string }): Person;
  /** Records a message now and posts it in the background (the phone page does not wait). */
  sendInBackground(waId: string, input: PersonInput): PersonMessage;
}

/** Parses a phone number into a `wa_id`, or throws naming it. */
export function requireWaId(phoneNumber: string): string {
  const waId = toWaId(phoneNumber);
  if (waId === undefined)
    throw new TypeError(
      `Not a phone number: "${phoneNumber}" (expected 7–15 digits, e.g. +447700900123)`,
    );
  return waId;
}

/**
 * Creates the {@link People} of an emulator.
 *
 * @example
 * ```ts
 * const ann = people.get('+447700900123', { name: 'Ann' });
 * await ann.send('Hi, is my order on its way?');
 * ```
 */
export function createPeople(config: PeopleConfig): People {
  const { state, clock } = config;

  function record(waId: string, input: PersonInput): PersonMessage {
    const now = clock.now();
    // The window opens when the person writes, whatever the app answers to the webhook.
    state.person(waId).lastInboundAt = now;
    const message = buildInboundMessage({
      waId,
      input,
      now,
      businessNumber: config.business.displayPhoneNumber,
      state,
    });
    const entry: PersonMessage = {
      side: 'person',
      id: message.id,
      from: waId,
      type: message.type,
      at: now,
      message,
      readByBusiness: false,
    };
    state.add(entry);
    config.onChange(entry);
    return entry;
  }

  async function post(entry: PersonMessage): Promise<PersonMessage> {
    const person = state.person(entry.from);
    const envelope = webhookEnvelope(config.business, {
      contacts: [{ profile: { name: person.name }, wa_id: person.waId }],
      messages: [entry.message],
    });
    entry.webhook = await config.sender.post('message', envelope);
    config.onChange(entry);
    config.onPosted(entry);
    return entry;
  }

  function findTap(waId: string, label: string, messageId?: string) {
    const candidates = state
      .person(waId)
      .conversation.filter(
        (entry): entry is BusinessMessage =>
          entry.side === 'business' && entry.status !== 'refused',
      )
      .filter((entry) => messageId === undefined || entry.id === messageId)
      .reverse();
    for (const message of candidates) {
      const target = tapTargets(message, config.registry).find((t) => t.label === label);
      if (target) return target.input;
    }
    throw new Error(
      `Nothing to tap: no message to ${waId} has a button or row labelled "${label}"`,
    );
  }

  return {
    get(phoneNumber, options = {}) {
      const waId = requireWaId(phoneNumber);
      state.person(waId, options.name);
      return {
        waId,
        get name() {
          return state.person(waId).name;
        },
        send: async (input) => post(record(waId, input)),
        tap: async (label, messageId) => post(record(waId, findTap(waId, label, messageId))),
        read: () => config.statuses.readAll(waId),
        inbox: () =>
          state
            .person(waId)
            .conversation.filter((e): e is BusinessMessage => e.side === 'business'),
        conversation: () => [...state.person(waId).conversation],
        windowOpen: () => state.windowOpen(waId),
      };
    },
    sendInBackground(waId, input) {
      const entry = record(waId, input);
      config.work.run(async () => {
        await post(entry);
      });
      return entry;
    },
  };
}

/** Finds what tapping `label` on `messageId` sends, for the phone page. */
export function tapInput(
  state: WhatsAppState,
  registry: TemplateRegistry,
  messageId: string,
  label: string,
): PersonInput | undefined {
  const message = state.entry(messageId);
  if (message?.side !== 'business') return undefined;
  return tapTargets(message, registry).find((t) => t.label === label)?.input;
}
