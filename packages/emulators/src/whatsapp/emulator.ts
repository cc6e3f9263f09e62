import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBackgroundWork } from '../background-work';
import { createMovableClock } from '../clock';
import { parseEmulatorOptions } from '../config-error';
import { createEmitter, type Subscribe } from '../events';
import { createServerLifecycle } from '../http/lifecycle';
import { BodyTooLargeError, sendJson } from '../http/respond';
import { createSseHub } from '../http/sse';
import { createGraphHandler } from './graph';
import { type WhatsAppEmulatorOptions, WhatsAppEmulatorOptionsSchema } from './options';
import { createPeople, type Person, requireWaId } from './person';
import { createPhonePage } from './phone-page';
import { createWhatsAppState } from './state';
import { createStatusLifecycle } from './statuses';
import { createTemplateRegistry } from './templates';
import type {
  BusinessMessage,
  ConversationEntry,
  StoredMedia,
  WebhookFailure,
  WhatsAppEmulatorEvents,
} from './types';
import { createWebhookSender, type WebhookVerification } from './webhook';

/** A running (or ready to start) WhatsApp Cloud API emulator. */
export interface WhatsAppEmulator {
  /** `http://127.0.0.1:<port>`: the adapter's `baseUrl`, standing in for `https://graph.facebook.com`. */
  readonly url: string;
  /** `url` plus the API version, for adapters whose base URL includes it. */
  readonly graphUrl: string;
  /** The phone picker page. */
  readonly phoneUrl: string;
  /** The chat page of one person. */
  phonePageUrl(phoneNumber: string): string;
  start(): Promise<void>;
  /** Cancels scheduled statuses and retries, closes open pages and stops listening. */
  stop(): Promise<void>;
  /** A person, driven from code: `receiveFrom('+447700900123').send('hi')`. */
  receiveFrom(phoneNumber: string, options?: { name?: string }): Person;
  /** What the business sent this person, refused messages included. */
  inbox(phoneNumber: string): BusinessMessage[];
  conversation(phoneNumber: string): ConversationEntry[];
  people(): Array<{ waId: string; name: string; lastInboundAt?: number }>;
  /** Any message by id (wamid). */
  message(id: string): ConversationEntry | undefined;
  /** Stores media as if uploaded, e.g. to send it by id. */
  addMedia(media: { bytes: Uint8Array | string; mimeType: string; filename?: string }): StoredMedia;
  /** The emulator's "now": the injected clock plus every `advanceTime`. */
  now(): number;
  /** Moves the emulator's clock forward (windows, rates, timestamps); status delays stay real. */
  advanceTime(ms: number): void;
  /** Closes one person's window now, as if they last wrote longer ago than `windowHours`. */
  expireWindow(phoneNumber: string): void;
  /**
   * Sets when the person last wrote to the business, as the app's own records say. The emulator
   * keeps its state in memory: an app that restarts on a store that remembers a message from an
   * hour ago calls this, so both agree the window is open (a real phone would never refuse it).
   * Never moves the time back: a later message the emulator saw itself wins.
   */
  restoreWindow(phoneNumber: string, lastInboundAt: number): void;
  /** Points webhooks at the app (Meta's "callback URL" setting). */
  setWebhookUrl(url: string): void;
  /** Performs Meta's `hub.challenge` verification against the webhook URL. */
  verifyWebhook(verifyToken?: string): Promise<WebhookVerification>;
  /** Webhooks the app never accepted, after every retry. */
  webhookFailures(): WebhookFailure[];
  /** Resolves when no status or webhook is pending (a test's "let it settle"). */
  idle(): Promise<void>;
  on: Subscribe<WhatsAppEmulatorEvents>;
}

/**
 * Creates a WhatsApp Cloud API emulator: the Graph send and Media endpoints, signed webhooks for
 * people's messages and for statuses, and a phone page. Call `start()` before using `url`.
 *
 * @example
 * ```ts
 * const emulator = createWhatsAppEmulator({ phoneNumberId: '106540352242922', accessToken: 'test-token', appSecret: 'app-secret' });
 * await emulator.start();
 * const adapter = createWhatsAppCloudAdapter({
 *   baseUrl: emulator.url, // the only change from production
 *   phoneNumberId: '106540352242922', accessToken: 'test-token', appSecret: 'app-secret', verifyToken: 'v',
 * });
 * emulator.setWebhookUrl('http://127.0.0.1:3000/webhooks/whatsapp');
 * await emulator.receiveFrom('+447700900123', { name: 'Ann' }).send('Hi!');
 * ```
 */
export function createWhatsAppEmulator(options: WhatsAppEmulatorOptions): WhatsAppEmulator {
  const config = parseEmulatorOptions(
    WhatsAppEmulatorOptionsSchema,
    options,
    'createWhatsAppEmulator',
  );
  const clock = createMovableClock(config.clock);
  const events = createEmitter<WhatsAppEmulatorEvents>();
  const work = createBackgroundWork((error) => {
    // An emulator bug must not vanish silently when nobody listens for it.
    if (!events.emit('error', error)) console.error('[whatsapp emulator]', error);
  });
  const state = createWhatsAppState({
    clock,
    windowMs: config.windowHours * 3_600_000,
    rate: config.rate,
  });
  const registry = createTemplateRegistry(config.templates);
  const hub = createSseHub();
  const business = {
    phoneNumberId: config.phoneNumberId,
    displayPhoneNumber: config.displayPhoneNumber,
    businessAccountId: config.businessAccountId,
  };
  let webhookUrl = config.webhookUrl;
  const life = createServerLifecycle({
    name: 'WhatsApp',
    host: config.host,
    port: config.port,
    handler: handle,
    work,
    hub,
  });

  const sender = createWebhookSender({
    url: () => webhookUrl,
    appSecret: config.appSecret,
    policy: config.webhookRetry,
    clock,
    sleep: work.sleep,
    signal: work.signal,
    onFailure: (failure) => events.emit('webhook-failure', failure),
  });
  // The phone page and the status lifecycle need each other (reading depends on an open page,
  // opening a page reads); the late-bound `page` breaks the cycle.
  let page: ReturnType<typeof createPhonePage> | undefined;
  const statuses = createStatusLifecycle({
    business,
    state,
    sender,
    work,
    clock,
    delays: config.statusDelaysMs,
    isReading: (waId) => config.autoRead || (page?.isOpen(waId) ?? false),
    templateCategory: registry.category,
    onStatus: (event) => events.emit('status', event),
    onChange: (message) => page?.publish(message),
  });
  const people = createPeople({
    business,
    state,
    clock,
    sender,
    statuses,
    registry,
    work,
    onChange: (entry) => page?.publish(entry),
    onPosted: (entry) => events.emit('person-message', entry),
  });
  page = createPhonePage({
    state,
    registry,
    people,
    statuses,
    hub,
    clock,
    businessName: config.businessName ?? `+${config.displayPhoneNumber}`,
    ...(config.homeUrl === undefined ? {} : { homeUrl: config.homeUrl }),
  });
  const phonePage = page;

  const requireUrl = life.url;
  const handleGraph = createGraphHandler({
    ...business,
    accessToken: config.accessToken,
    appSecret: config.appSecret,
    closedWindow: config.closedWindow,
    clock,
    state,
    registry,
    statuses,
    emit: events.emit,
    onChange: (entry) => phonePage.publish(entry),
    onTyping: (waId, until) => phonePage.typing(waId, until),
    baseUrl: requireUrl,
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const context = { req, res, url };
    try {
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/phone' }).end();
      } else if (url.pathname === '/favicon.ico') {
        // Browsers ask for it on the phone page; without this it would earn a Graph 190.
        res.writeHead(204).end();
      } else if (url.pathname === '/phone' || url.pathname.startsWith('/phone/')) {
        if ((await phonePage.handle(context)) !== 'handled')
          sendJson(res, 404, { error: 'Not found' });
      } else {
        await handleGraph(context);
      }
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(res, 413, { error: { message: error.message, type: 'OAuthException', code: 100 } });
    }
  }

  const emulator: WhatsAppEmulator = {
    get url() {
      return requireUrl();
    },
    get graphUrl() {
      return `${requireUrl()}/${config.apiVersion}`;
    },
    get phoneUrl() {
      return `${requireUrl()}/phone`;
    },
    phonePageUrl: (phoneNumber) => `${requireUrl()}/phone?number=%2B${requireWaId(phoneNumber)}`,
    start: life.start,
    stop: life.stop,
    receiveFrom: (phoneNumber, options) => people.get(phoneNumber, options),
    inbox: (phoneNumber) => people.get(phoneNumber).inbox(),
    conversation: (phoneNumber) => people.get(phoneNumber).conversation(),
    people: () =>
      state.people().map(({ waId, name, lastInboundAt }) => ({
        waId,
        name,
        ...(lastInboundAt === undefined ? {} : { lastInboundAt }),
      })),
    message: (id) => state.entry(id),
    addMedia: ({ bytes, mimeType, filename }) =>
      state.addMedia({
        bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
        mimeType,
        ...(filename === undefined ? {} : { filename }),
      }),
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    expireWindow(phoneNumber) {
      const person = state.person(requireWaId(phoneNumber));
      if (person.lastInboundAt !== undefined)
        person.lastInboundAt = clock.now() - config.windowHours * 3_600_000;
    },
    restoreWindow(phoneNumber, lastInboundAt) {
      if (!Number.isFinite(lastInboundAt))
        throw new RangeError(`restoreWindow: expected a time in ms, got ${lastInboundAt}`);
      const person = state.person(requireWaId(phoneNumber));
      person.lastInboundAt = Math.max(person.lastInboundAt ?? lastInboundAt, lastInboundAt);
    },
    setWebhookUrl(url) {
      webhookUrl = parseEmulatorOptions(
        WhatsAppEmulatorOptionsSchema.shape.webhookUrl,
        url,
        'setWebhookUrl',
      );
    },
    verifyWebhook(verifyToken = config.verifyToken) {
      if (verifyToken === undefined)
        throw new Error('verifyWebhook needs a verify token (or the verifyToken option)');
      return sender.verify(verifyToken);
    },
    webhookFailures: () => sender.failures(),
    idle: () => work.idle(),
    on: events.on,
  };
  return emulator;
}

/**
 * Creates and starts a WhatsApp emulator in one call.
 *
 * @example
 * ```ts
 * const emulator = await startWhatsAppEmulator({ phoneNumberId: '1', accessToken: 't', appSecret: 's' });
 * console.log(emulator.phoneUrl);
 * ```
 */
export async function startWhatsAppEmulator(
  options: WhatsAppEmulatorOptions,
): Promise<WhatsAppEmulator> {
  const emulator = createWhatsAppEmulator(options);
  await emulator.start();
  return emulator;
}
