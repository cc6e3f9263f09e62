import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseEmulatorOptions } from '../config-error';
import { readBody, sendBytes, sendJson } from '../http/respond';
import { createRouter } from '../http/router';
import { listen, type RunningServer } from '../http/server';
import {
  type ActivityContext,
  executeActivity,
  installActivity,
  messageActivity,
  submitActivity,
  uninstallActivity,
} from './activities';
import { chatPageHtml } from './chat-page';
import { addConnectorRoutes, type ConnectorFailure } from './connector';
import { createChannelKeys } from './keys';
import {
  CHANNEL_TOKEN_ISSUER,
  type TeamsEmulatorOptions,
  TeamsEmulatorOptionsSchema,
} from './options';
import { type ActivityJson, type ChatEntry, createTeamsState, type TeamsPerson } from './state';

/** What the bot answered to an activity the emulator posted. */
export interface BotAnswer {
  status: number;
  body: unknown;
}

/** The options a `@threadline/teams` adapter needs to talk to this emulator. */
export interface TeamsEmulatorAdapterOptions {
  appId: string;
  appPassword: string;
  endpoints: { openIdMetadataUrl: string; tokenIssuer: string; loginUrl: string; tokenUrl: string };
  serviceUrls: string[];
}

/** A running stand-in for Microsoft Teams and the Bot Framework. */
export interface TeamsEmulator {
  readonly url: string;
  /** The service URL activities carry (`<url>/teams/`). */
  readonly serviceUrl: string;
  /** The options to give `createTeamsAdapter` (spread them in). */
  adapterOptions(): TeamsEmulatorAdapterOptions;
  /** The chat page of `name`. */
  chatPageUrl(name: string): string;
  setBotUrl(url: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `name` installs the app in their 1:1 chat (a signed `conversationUpdate` to the bot). */
  install(name: string): Promise<BotAnswer>;
  /** `name` removes the app (`installationUpdate` remove); the bot's sends then get 403. */
  uninstall(name: string): Promise<BotAnswer>;
  /** `name` writes to the bot (installing the app first if needed, as Teams does). */
  write(name: string, text: string): Promise<BotAnswer>;
  /** `name` presses button `action` of card `card` on the bot's activity `activityId`. */
  tap(
    name: string,
    input: { activityId: string; action: number; card?: number },
  ): Promise<BotAnswer>;
  /** What the bot sent to `name` (message and typing activities, updates applied). */
  sent(name: string): ActivityJson[];
  person(name: string): TeamsPerson;
  /** The next Bot Connector call fails with this status and Teams error code. */
  failNext(failure: ConnectorFailure): void;
}

const cardsOf = (activity: ActivityJson): ActivityJson[] =>
  ((activity.attachments as ActivityJson[] | undefined) ?? [])
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content as ActivityJson);

/**
 * Creates the Teams emulator (call `start()`): OpenID metadata and JWKS with its own key, a
 * token endpoint, a Bot Connector that records what the bot sends, signed activities posted to
 * the bot, and a chat page per person.
 *
 * @example
 * ```ts
 * const teams = createTeamsEmulator({ appId, appPassword, botUrl });
 * await teams.start();
 * const adapter = createTeamsAdapter({ ...teams.adapterOptions(), id: 'teams' });
 * await teams.install('Ann');
 * ```
 */
export function createTeamsEmulator(options: TeamsEmulatorOptions): TeamsEmulator {
  const config = parseEmulatorOptions(TeamsEmulatorOptionsSchema, options, 'createTeamsEmulator');
  const state = createTeamsState();
  const failures: ConnectorFailure[] = [];
  const keysReady = createChannelKeys();
  let botUrl = config.botUrl;
  let server: RunningServer | undefined;
  const base = () => {
    if (!server) throw new Error('the Teams emulator is not started');
    return server.url;
  };
  const serviceUrl = () => `${base()}/teams/`;

  const record = (person: TeamsPerson, from: ChatEntry['from'], activity: ActivityJson) => {
    const id = String(activity.id);
    const index = person.chat.findIndex((entry) => entry.id === id && entry.from === from);
    const entry = { id, from, activity, at: Date.now() };
    if (index >= 0) person.chat[index] = entry;
    else person.chat.push(entry);
  };

  async function post(person: TeamsPerson, build: (context: ActivityContext) => ActivityJson) {
    if (!botUrl)
      throw new Error('the Teams emulator has no bot URL: pass botUrl or call setBotUrl');
    const activity = build({
      config,
      serviceUrl: serviceUrl(),
      id: state.nextId(),
      now: Date.now(),
    });
    if (activity.type === 'message' && typeof activity.text === 'string') {
      record(person, 'person', activity);
    }
    const keys = await keysReady;
    const token = await keys.sign({
      issuer: CHANNEL_TOKEN_ISSUER,
      audience: config.appId,
      serviceUrl: serviceUrl(),
    });
    const response = await fetch(botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: response.status, body };
  }

  const router = createRouter();
  const emulator: TeamsEmulator = {
    get url() {
      return base();
    },
    get serviceUrl() {
      return serviceUrl();
    },
    adapterOptions: () => ({
      appId: config.appId,
      appPassword: config.appPassword,
      endpoints: {
        openIdMetadataUrl: `${base()}/v1/.well-known/openidconfiguration`,
        tokenIssuer: CHANNEL_TOKEN_ISSUER,
        loginUrl: base(),
        tokenUrl: `${base()}/botframework.com/oauth2/v2.0/token`,
      },
      serviceUrls: [serviceUrl()],
    }),
    chatPageUrl: (name) => `${base()}/chat?name=${encodeURIComponent(name)}`,
    setBotUrl(url) {
      botUrl = url;
    },
    async start() {
      const keys = await keysReady;
      addConnectorRoutes(router, {
        config,
        keys,
        state,
        baseUrl: base,
        takeFailure: () => failures.shift(),
        onBotActivity(conversationId, activity) {
          const person = state.byConversation(conversationId);
          if (person) record(person, 'bot', activity);
        },
      });
      addPageRoutes();
      server = await listen({
        host: config.host,
        port: config.port,
        handler: async (req: IncomingMessage, res: ServerResponse) => {
          const url = new URL(req.url ?? '/', 'http://emulator');
          const outcome = await router.handle({ req, res, url }, url.pathname);
          if (outcome === 'not-found') sendJson(res, 404, { error: { code: 'NotFound' } });
          if (outcome === 'method-not-allowed')
            sendJson(res, 405, { error: { code: 'MethodNotAllowed' } });
        },
      });
    },
    async stop() {
      await server?.close();
    },
    async install(name) {
      const person = state.person(name);
      person.installed = true;
      return post(person, (context) => installActivity(person, context));
    },
    async uninstall(name) {
      const person = state.person(name);
      person.installed = false;
      return post(person, (context) => uninstallActivity(person, context));
    },
    async write(name, text) {
      const person = state.person(name);
      if (!person.installed) await emulator.install(name);
      return post(person, (context) => messageActivity(person, context, text));
    },
    async tap(name, { activityId, action, card = 0 }) {
      const person = state.person(name);
      const entry = person.chat.find((item) => item.from === 'bot' && item.id === activityId);
      const pressed = (
        cardsOf(entry?.activity ?? {})[card]?.actions as ActivityJson[] | undefined
      )?.[action];
      if (!entry || !pressed)
        throw new Error(`no button ${action} on card ${card} of ${activityId}`);
      if (pressed.type === 'Action.Execute') {
        const answer = await post(person, (context) =>
          executeActivity(person, context, pressed, activityId),
        );
        const refreshed = (answer.body as { value?: ActivityJson } | undefined)?.value;
        if (answer.status === 200 && refreshed?.type === 'AdaptiveCard') {
          record(person, 'bot', {
            ...entry.activity,
            attachments: [
              { contentType: 'application/vnd.microsoft.card.adaptive', content: refreshed },
            ],
          });
        }
        return answer;
      }
      return post(person, (context) => submitActivity(person, context, pressed.data, activityId));
    },
    sent: (name) =>
      state
        .person(name)
        .chat.filter((e) => e.from === 'bot')
        .map((e) => e.activity),
    person: (name) => state.person(name),
    failNext(failure) {
      failures.push(failure);
    },
  };

  function addPageRoutes(): void {
    router.route('GET', '/chat', ({ res, url }) =>
      sendBytes(
        res,
        200,
        'text/html; charset=utf-8',
        chatPageHtml(url.searchParams.get('name') ?? 'Ann'),
      ),
    );
    router.route('GET', '/api/chat', ({ res, url }) => {
      const person = state.person(url.searchParams.get('name') ?? 'Ann');
      sendJson(res, 200, {
        installed: person.installed,
        chat: person.chat.map((entry) => ({
          id: entry.id,
          from: entry.from,
          type: entry.activity.type,
          text: entry.activity.text,
          cards: cardsOf(entry.activity),
        })),
      });
    });
    const action = (path: string, run: (body: Record<string, unknown>) => Promise<BotAnswer>) =>
      router.route('POST', `/api/${path}`, async ({ req, res }) => {
        const body = JSON.parse((await readBody(req)).toString('utf8')) as Record<string, unknown>;
        sendJson(res, 200, await run(body));
      });
    action('install', (body) => emulator.install(String(body.name)));
    action('uninstall', (body) => emulator.uninstall(String(body.name)));
    action('write', (body) => emulator.write(String(body.name), String(body.text)));
    action('tap', (body) =>
      emulator.tap(String(body.name), {
        activityId: String(body.activityId),
        action: Number(body.action),
        card: Number(body.card ?? 0),
      }),
    );
  }

  return emulator;
}
