import { z } from 'zod';
import type { Clock } from '../clock';
import { readBody, sendBytes, sendJson } from '../http/respond';
import { createRouter, type RouteContext, type RouteOutcome } from '../http/router';
import type { SseHub } from '../http/sse';
import { toWaId } from './ids';
import type { PersonInput } from './inbound';
import type { People } from './person';
import { tapInput } from './person';
import { phonePageHtml, pickerPageHtml } from './phone-page-html';
import { toPhoneView } from './phone-view';
import type { WhatsAppState } from './state';
import type { StatusLifecycle } from './statuses';
import type { TemplateRegistry } from './templates';
import type { ConversationEntry } from './types';

/** What the phone page can post: typed text, a tap, a photo, a document, a location, a reaction. */
const PageInputSchema = z.union([
  z.strictObject({ text: z.string().min(1).max(4096) }),
  z.strictObject({
    tap: z.strictObject({ messageId: z.string().min(1), label: z.string().min(1) }),
  }),
  z.strictObject({ image: z.strictObject({ caption: z.string().optional() }) }),
  z.strictObject({ document: z.strictObject({ filename: z.string().optional() }) }),
  z.strictObject({
    location: z.strictObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
    }),
  }),
  z.strictObject({
    reaction: z.strictObject({ message_id: z.string().min(1), emoji: z.string() }),
  }),
]);

/** What the phone page needs. */
export interface PhonePageConfig {
  state: WhatsAppState;
  registry: TemplateRegistry;
  people: People;
  statuses: StatusLifecycle;
  hub: SseHub;
  /** The emulator's clock: the page shows the window and any skipped time by it. */
  clock: Clock;
  businessName: string;
  homeUrl?: string;
}

/** The phone page: routes plus the live feed the emulator pushes changes into. */
export interface PhonePage {
  handle(context: Omit<RouteContext, 'params'>): Promise<RouteOutcome>;
  /** Pushes a new or changed message to the pages open for that person. */
  publish(entry: ConversationEntry): void;
  typing(waId: string, until: number): void;
  /** Whether a page is open for the person (they are "looking at their phone"). */
  isOpen(waId: string): boolean;
}

function waIdOf(context: RouteContext): string | undefined {
  return toWaId(context.url.searchParams.get('number') ?? '');
}

/**
 * Creates the {@link PhonePage}: `GET /phone` (a picker, or the chat for `?number=`),
 * `GET /phone/events` (SSE), `POST /phone/send` and `GET /phone/media/:id`. Opening a chat marks
 * everything delivered to that person read, as opening WhatsApp on a phone does.
 *
 * @example
 * ```ts
 * const page = createPhonePage(config);
 * page.publish(message); // every open page for message.to redraws it
 * ```
 */
export function createPhonePage(config: PhonePageConfig): PhonePage {
  const { state, hub, registry } = config;
  const window = (waId: string) => state.windowClosesAt(waId) ?? null;

  const router = createRouter()
    .route('GET', '/phone', (context) => {
      const waId = waIdOf(context);
      if (waId === undefined) {
        const people = state.people().map(({ waId: id, name }) => ({ waId: id, name }));
        return sendBytes(
          context.res,
          200,
          'text/html; charset=utf-8',
          pickerPageHtml(people, config.homeUrl),
        );
      }
      const person = state.person(waId);
      const html = phonePageHtml({
        waId,
        name: person.name,
        businessName: config.businessName,
        ...(config.homeUrl === undefined ? {} : { homeUrl: config.homeUrl }),
      });
      sendBytes(context.res, 200, 'text/html; charset=utf-8', html);
    })
    .route('GET', '/phone/events', (context) => {
      const waId = waIdOf(context);
      if (waId === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      const person = state.person(waId);
      hub.open(waId, context.req, context.res);
      hub.sendTo(context.res, 'snapshot', {
        person: { waId, name: person.name },
        window: window(waId),
        now: config.clock.now(),
        entries: person.conversation.map((entry) => toPhoneView(entry, registry)),
      });
      config.statuses.readAll(waId);
    })
    // The shared clock can jump (a test or a demo skips a day) without any message: the page
    // polls this to show the window and the skipped time as they are now.
    .route('GET', '/phone/clock', (context) => {
      const waId = waIdOf(context);
      if (waId === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      sendJson(context.res, 200, { now: config.clock.now(), window: window(waId) });
    })
    .route('POST', '/phone/send', async (context) => {
      const waId = waIdOf(context);
      if (waId === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      let parsed: z.infer<typeof PageInputSchema>;
      try {
        parsed = PageInputSchema.parse(JSON.parse((await readBody(context.req)).toString('utf8')));
      } catch (error) {
        return sendJson(context.res, 400, { error: `Bad input: ${String(error)}` });
      }
      let input: PersonInput | undefined = parsed as PersonInput;
      if ('tap' in parsed)
        input = tapInput(state, registry, parsed.tap.messageId, parsed.tap.label);
      if (input === undefined) return sendJson(context.res, 404, { error: 'Nothing to tap there' });
      const entry = config.people.sendInBackground(waId, input);
      sendJson(context.res, 202, { id: entry.id });
    })
    .route('GET', '/phone/media/:id', (context) => {
      const media = state.media(context.params.id as string);
      if (media === undefined) return sendJson(context.res, 404, { error: 'Media not found' });
      sendBytes(context.res, 200, media.mimeType, media.bytes);
    });

  return {
    handle: (context) => router.handle(context, context.url.pathname),
    publish(entry) {
      const waId = entry.side === 'business' ? entry.to : entry.from;
      if (hub.count(waId) === 0) return;
      hub.send(waId, 'entry', {
        view: toPhoneView(entry, registry),
        window: window(waId),
        now: config.clock.now(),
      });
    },
    typing: (waId, until) => hub.send(waId, 'typing', { until }),
    isOpen: (waId) => hub.count(waId) > 0,
  };
}
