import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBackgroundWork } from '../background-work';
import { createMovableClock } from '../clock';
import { parseEmulatorOptions } from '../config-error';
import { createServerLifecycle } from '../http/lifecycle';
import { BodyTooLargeError, readBody, sendBytes, sendJson } from '../http/respond';
import { createRouter } from '../http/router';
import { createSseHub } from '../http/sse';
import type { WebhookOutcome } from '../http/webhook-delivery';
// Meta signs and retries every product's webhooks the same way: the WhatsApp emulator's sender.
import { createWebhookSender, type WebhookVerification } from '../whatsapp/webhook';
import {
  type MessengerEmulatorOptions,
  MessengerEmulatorOptionsSchema,
  PAGE_INBOX_APP_ID,
} from './options';
import { chatHtml, pickerHtml } from './page-html';
import { type MessengerPersonHandle, personHandle } from './person';
import { createSendApiHandler } from './send-api';
import {
  createMessengerState,
  type MessengerEntry,
  type MessengerPerson,
  type MetaPlatform,
} from './state';
import { echoMessage, webhookBody } from './webhooks';

/** A running (or ready to start) Messenger + Instagram emulator. */
export interface MessengerEmulator {
  /** `http://127.0.0.1:<port>`: the adapter's `baseUrl`, standing in for `https://graph.facebook.com`. */
  readonly url: string;
  /** The people page of one inbox (`/messenger` or `/instagram`). */
  pageUrl(platform: MetaPlatform, personId?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new person writing to the Page (`messenger`) or the Instagram account. */
  person(input?: { platform?: MetaPlatform; name?: string }): MessengerPersonHandle;
  /** A person by PSID / IGSID. */
  personById(id: string): MessengerPersonHandle;
  /** Someone in the Page inbox answers the person by hand: recorded, and echoed to the app. */
  pageReply(personId: string, text: string): Promise<MessengerEntry>;
  now(): number;
  /** Moves the emulator's clock forward (the window, the HUMAN_AGENT 7 days). */
  advanceTime(ms: number): void;
  /** Points webhooks of one object (`page` or `instagram`) at the app. */
  setWebhookUrl(url: string, object?: 'page' | 'instagram'): void;
  /** Performs Meta's `hub.challenge` verification against a webhook URL. */
  verifyWebhook(verifyToken: string, object?: 'page' | 'instagram'): Promise<WebhookVerification>;
  /** Webhooks the app never accepted, after every retry. */
  webhookFailures(): Array<{ kind: string; payload: unknown; outcome: WebhookOutcome }>;
  /** Resolves when no webhook is pending. */
  idle(): Promise<void>;
}

/**
 * Creates a Messenger Platform emulator for one Page and its linked Instagram account: the Send
 * API for both, signed webhooks (`object: "page"` and `"instagram"`) for people's messages,
 * postbacks, reactions, echoes and receipts by watermark, window errors past 24 h (and past the
 * 7 days of `HUMAN_AGENT`), and Messenger- and Instagram-like pages at `/messenger` and `/instagram`.
 *
 * @example
 * ```ts
 * const emulator = await startMessengerEmulator({ pageId: '107000000000001', pageAccessToken: 't', appSecret: 's' });
 * emulator.setWebhookUrl('http://127.0.0.1:3000/webhooks/messenger-107000000000001');
 * const ann = emulator.person({ name: 'Ann' });
 * await ann.send('Hi!');
 * ```
 */
export function createMessengerEmulator(options: MessengerEmulatorOptions): MessengerEmulator {
  const config = parseEmulatorOptions(
    MessengerEmulatorOptionsSchema,
    options,
    'createMessengerEmulator',
  );
  const clock = createMovableClock(config.clock);
  const work = createBackgroundWork((error) => console.error('[messenger emulator]', error));
  const state = createMessengerState({ clock, windowMs: config.windowHours * 3_600_000 });
  const hub = createSseHub();
  const ids = { pageId: config.pageId, instagramAccountId: config.instagramAccountId };
  const urls = { page: config.webhookUrl, instagram: config.instagramWebhookUrl };
  const senderTo = (object: 'page' | 'instagram') =>
    createWebhookSender({
      url: () => urls[object],
      appSecret: config.appSecret,
      policy: config.webhookRetry,
      clock,
      sleep: work.sleep,
      signal: work.signal,
      onFailure: () => {},
    });
  const senders = { page: senderTo('page'), instagram: senderTo('instagram') };
  const senderOf = (person: MessengerPerson) =>
    person.platform === 'messenger' ? senders.page : senders.instagram;
  const life = createServerLifecycle({
    name: 'Messenger',
    host: config.host,
    port: config.port,
    handler: handle,
    work,
    hub,
  });

  const windowOf = (person: MessengerPerson) => state.windowClosesAt(person) ?? null;
  const publish = (person: MessengerPerson, entry: MessengerEntry) =>
    hub.send(person.id, 'entry', { entry, window: windowOf(person) });
  const post = (
    person: MessengerPerson,
    kind: 'message' | 'status',
    event: Record<string, unknown>,
    at: number,
    echo = false,
  ) => senderOf(person).post(kind, webhookBody(person, ids, at, event, echo));
  const people = { state, now: () => clock.now(), post, onChange: publish };

  function requirePerson(id: string): MessengerPerson {
    const person = state.person(id);
    if (person === undefined) throw new Error(`No person with id ${id} has written`);
    return person;
  }

  const sendApi = createSendApiHandler({
    apiVersion: config.apiVersion,
    pageId: config.pageId,
    pageAccessToken: config.pageAccessToken,
    permittedTags: config.permittedTags,
    windowHours: config.windowHours,
    state,
    now: () => clock.now(),
    onSent(person, entry) {
      publish(person, entry);
      const at = clock.now();
      work.run(async () => {
        if (config.echoes)
          await post(person, 'message', echoMessage(entry, config.appId), at, true);
        // Messenger confirms delivery by watermark; Instagram sends no delivery receipts.
        if (config.autoDeliver && person.platform === 'messenger') {
          await post(
            person,
            'status',
            { delivery: { mids: [entry.id], watermark: at } },
            clock.now(),
          );
        }
      });
    },
    onAction(person, action) {
      hub.send(person.id, 'action', { action });
    },
  });

  const router = createRouter()
    .route('POST', '/:version/:page/messages', sendApi)
    .route('GET', '/:platform', (context) => {
      const platform = context.params.platform as MetaPlatform;
      const id = context.url.searchParams.get('id');
      const person = id === null ? undefined : state.person(id);
      const html = person
        ? chatHtml(platform, person)
        : pickerHtml(
            platform,
            state.people(platform).map(({ id: pid, name }) => ({ id: pid, name })),
          );
      sendBytes(context.res, 200, 'text/html; charset=utf-8', html);
    })
    .route('POST', '/:platform/people', async (context) => {
      const platform = context.params.platform as MetaPlatform;
      const form = new URLSearchParams((await readBody(context.req)).toString('utf8'));
      const person = state.create(platform, form.get('name') || 'Someone');
      context.res.writeHead(303, { location: `/${platform}?id=${person.id}` }).end();
    })
    .route('GET', '/:platform/events', (context) => {
      const person = state.person(context.url.searchParams.get('id') ?? '');
      if (person === undefined) return sendJson(context.res, 404, { error: 'unknown person' });
      hub.open(person.id, context.req, context.res);
      hub.sendTo(context.res, 'snapshot', {
        entries: person.conversation,
        window: windowOf(person),
      });
    })
    .route('POST', '/:platform/send', async (context) => {
      const person = state.person(context.url.searchParams.get('id') ?? '');
      if (person === undefined) return sendJson(context.res, 404, { error: 'unknown person' });
      const input = JSON.parse((await readBody(context.req)).toString('utf8')) as {
        text?: string;
        tap?: string;
      };
      const handle = personHandle(person, people);
      work.run(async () => {
        if (input.tap !== undefined) await handle.tap(input.tap);
        else if (input.text) await handle.send(input.text);
      });
      sendJson(context.res, 202, { ok: true });
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    try {
      if (url.pathname === '/') return void res.writeHead(302, { location: '/messenger' }).end();
      const platform = url.pathname.split('/')[1];
      const isPage = platform === 'messenger' || platform === 'instagram';
      const isApi = /^\/v\d+\.\d+\//.test(url.pathname);
      if (!isPage && !isApi) return sendJson(res, 404, { error: 'Not found' });
      const outcome = await router.handle({ req, res, url }, url.pathname);
      if (outcome !== 'handled')
        sendJson(res, 404, { error: { message: 'Unknown path', code: 100 } });
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(res, 413, { error: { message: error.message, type: 'OAuthException', code: 100 } });
    }
  }

  const requireUrl = life.url;

  return {
    get url() {
      return requireUrl();
    },
    pageUrl: (platform, personId) =>
      `${requireUrl()}/${platform}${personId === undefined ? '' : `?id=${personId}`}`,
    start: life.start,
    stop: life.stop,
    person: (input = {}) =>
      personHandle(state.create(input.platform ?? 'messenger', input.name ?? 'Someone'), people),
    personById: (id) => personHandle(requirePerson(id), people),
    async pageReply(personId, text) {
      const person = requirePerson(personId);
      const entry: MessengerEntry = {
        id: state.newMid(),
        side: 'business',
        author: 'inbox',
        at: clock.now(),
        text,
      };
      person.conversation.push(entry);
      publish(person, entry);
      await post(person, 'message', echoMessage(entry, PAGE_INBOX_APP_ID), entry.at, true);
      return entry;
    },
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    setWebhookUrl(url, object = 'page') {
      urls[object] = parseEmulatorOptions(
        MessengerEmulatorOptionsSchema.shape.webhookUrl,
        url,
        'setWebhookUrl',
      );
    },
    verifyWebhook: (verifyToken, object = 'page') => senders[object].verify(verifyToken),
    webhookFailures: () => [...senders.page.failures(), ...senders.instagram.failures()],
    idle: () => work.idle(),
  };
}

/**
 * Creates and starts a Messenger emulator in one call.
 *
 * @example
 * ```ts
 * const emulator = await startMessengerEmulator({ pageId: '1', pageAccessToken: 't', appSecret: 's' });
 * console.log(emulator.pageUrl('messenger'));
 * ```
 */
export async function startMessengerEmulator(
  options: MessengerEmulatorOptions,
): Promise<MessengerEmulator> {
  const emulator = createMessengerEmulator(options);
  await emulator.start();
  return emulator;
}
