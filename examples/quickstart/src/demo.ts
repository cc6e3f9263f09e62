import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createThreadline,
  type Logger,
  type Threadline,
  type ThreadStore,
  type User,
} from '@threadline/core';
import type { WhatsAppEmulator } from '@threadline/emulators';
import { type AgentTools, respond } from './agent';
import { CHANNELS, type ChannelName, type ChannelPanel, type Panels } from './channels';
import type { WhatsAppSettings } from './channels/whatsapp';
import { type DemoClock, openDemoClock } from './clock';
import {
  AGENT_ID,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEMO_PHONE_PATH,
  DEMO_USER,
  SKIP_MS,
} from './config';
import { lockDataDir } from './data-lock';
import { closeServer, listen, send, sendHtml, sendJson } from './http';
import { ensureDemoUser, webChatToken } from './identity';
import { ActivityLog, describeOutcome, inspectorSnapshot, oneLine } from './inspector';
import { mirrorOtherChannels } from './live-mirror';
import { chatPage, homePage, WIDGET_PATH } from './pages/chat';
import { demoImagePng, isDemoImage } from './pages/images';
import { ACTION_HEADER, inspectorPage } from './pages/inspector';
import { navLinks } from './pages/layout';
import { matchesPrefix, proxyTo } from './proxy';
import { registerReminderJob, runReminderNow, scheduleReminder } from './reminders';
import { openDemoStore } from './store';
import { loadWidgetBundle } from './widget';

/** The package directory: a relative `dataDir` is resolved against it (see {@link startDemo}). */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Default 3000; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1: the phone page and the inspector have no login, keep them local. */
  host?: string;
  /**
   * Where PGlite keeps the database (in `<dataDir>/db`) and the demo its clock offset. Default
   * `.threadline`. A relative path is resolved against the package directory
   * (`examples/quickstart`), wherever the demo is started from.
   */
  dataDir?: string;
  /** A PostgreSQL URL: the store uses that server instead of PGlite. */
  databaseUrl?: string;
  /** A Redis URL: the store is `@threadline/store-redis` on that server (wins over `databaseUrl`). */
  redisUrl?: string;
  /** Where the demo reports what happens (default: nowhere). */
  log?: (line: string) => void;
  /** WhatsApp emulator settings for tests (`autoRead`, faster `statusDelaysMs`). */
  emulator?: WhatsAppSettings;
}

/** A running demo. */
export interface Demo {
  /** `http://127.0.0.1:<port>`: the page with both channels side by side. */
  url: string;
  chatUrl: string;
  phoneUrl: string;
  inspectorUrl: string;
  /** Each channel's page standing in for Ann's device (absolute URLs). */
  channelPages: Array<{ title: string; url: string }>;
  dataDir: string;
  storeDescription: string;
  widgetSource: string;
  threadline: Threadline;
  /** The WhatsApp emulator (`panels.whatsapp.emulator`). */
  emulator: WhatsAppEmulator;
  /** Every channel's panel: its emulator, adapters, page and inspector actions. */
  panels: Panels;
  store: ThreadStore;
  /** The clock shared by the runtime, the store and the emulator. */
  clock: DemoClock;
  demoUser: User;
  activity: ActivityLog;
  /** Moves the shared clock forward (25 hours by default: every WhatsApp window closes). */
  skipTime(ms?: number): void;
  /** Stops everything and closes the store (PGlite flushes to disk). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the whole demo in this process: the WhatsApp emulator, a Threadline runtime with the
 * WhatsApp Cloud and web chat adapters on PGlite (or PostgreSQL), the rule-based agent, the
 * reminder job, and one HTTP server for the pages, the webhooks and the web chat sockets.
 *
 * @example
 * ```ts
 * const demo = await startDemo({ port: 0, dataDir: '/tmp/demo' });
 * console.log(demo.url);
 * await demo.stop();
 * ```
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.log ?? (() => {});
  const dataDir = resolveDataDir(options.dataDir ?? DEFAULT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // PGlite is single-process: a second demo on this folder must not start (it would lose replies).
  // Only the embedded PGlite is single-process; a server store is shared on purpose.
  const unlock = options.databaseUrl || options.redisUrl ? () => {} : lockDataDir(dataDir);
  const clock = openDemoClock(dataDir);
  const activity = new ActivityLog(() => clock.now());
  // What to stop, in this order: no new requests, then the runtime (it finishes agent turns and
  // sends in flight, which need the emulator and the store), the emulator, open connections,
  // and last the store (PGlite flushes its files).
  const running: {
    server?: Server;
    threadline?: Threadline;
    panels: ChannelPanel[];
    store?: ThreadStore;
  } = { panels: [] };
  const stopAll = async () => {
    const { server, threadline, panels, store } = running;
    const closed = server ? closeServer(server) : Promise.resolve();
    await threadline?.stop().catch(() => undefined);
    for (const panel of panels) await panel.stop?.().catch(() => undefined);
    await closed;
    await store?.close().catch(() => undefined);
    unlock();
  };

  try {
    // 0. The port first: if it is taken, say so before spending seconds opening the database.
    //    Requests that come before the demo is ready get 503.
    let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
    const server = createServer((req, res) => {
      if (!handler) return sendJson(res, 503, { error: 'the demo is starting' });
      handler(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
        else res.end();
      });
    });
    const host = options.host ?? DEFAULT_HOST;
    await listen(server, options.port ?? DEFAULT_PORT, host);
    running.server = server;
    const { port } = server.address() as AddressInfo;
    const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    // 1. The channels: each starts its emulator (on the demo's clock, so "skip 25 hours" moves
    //    every provider's windows at once) and creates its production adapter pointed at it.
    const panels = {} as Record<ChannelName, ChannelPanel>;
    const settings = { whatsapp: options.emulator ?? {} };
    for (const [name, channel] of Object.entries(CHANNELS) as Array<
      [ChannelName, (typeof CHANNELS)[ChannelName]]
    >) {
      const panel = await channel.start({ baseUrl, clock, settings });
      panels[name] = panel;
      running.panels.push(panel);
    }
    const typedPanels = panels as Panels;
    const emulator = typedPanels.whatsapp.emulator;

    // 2. The store: PGlite in the data directory, PostgreSQL with DATABASE_URL, Redis with REDIS_URL.
    const { store, description: storeDescription } = openDemoStore({
      dataDir,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      clock,
    });
    running.store = store;

    const adapters = Object.values(panels).flatMap((panel) => panel.adapters);
    const actionsById = new Map(
      Object.values(panels).flatMap((panel) => (panel.actions ?? []).map((a) => [a.id, a])),
    );

    // 4. The runtime, with the agent.
    const knownUsers = new Set<string>([DEMO_USER.id]);
    const threadline = createThreadline({
      store,
      adapters,
      agentId: AGENT_ID,
      clock,
      logger: demoLogger(log),
      async onMessage(turn) {
        await turn.reply(await respond(turn, tools));
      },
      onError: (error, context) =>
        activity.add(`${context.phase} error: ${(error as Error).message ?? String(error)}`),
    });
    // What the agent may do besides answering (a model would get these as tools).
    const tools: AgentTools = {
      imageUrl: (name) => `${baseUrl}/img/${name}.png`,
      remindLater: (input) => scheduleReminder(threadline, clock, input),
    };
    threadline.on('message.received', ({ userId, channel, message }) => {
      knownUsers.add(userId);
      activity.add(`${userId} wrote on ${channel}: ${oneLine(message.text)}`);
    });
    threadline.on('delivery.status', ({ userId, channel, status, error }) => {
      if (status === 'failed')
        activity.add(`delivery to ${userId ?? '?'} on ${channel} failed: ${error?.message ?? ''}`);
    });
    registerReminderJob(threadline, (outcome) => {
      if ('skipped' in outcome)
        activity.add(`reminder for ${outcome.userId} skipped: ${outcome.skipped}`);
      else
        activity.add(
          `reminder job wrote to ${outcome.userId} on ${outcome.sent.from}: ${
            outcome.sent.queued
              ? 'window closed, queued behind the re-engagement template'
              : outcome.sent.status
          }`,
          outcome.sent,
        );
    });
    mirrorOtherChannels({
      threadline,
      webchat: typedPanels.webchat.adapter,
      agentId: AGENT_ID,
      onError: (error) => activity.add(`live web chat mirror failed: ${(error as Error).message}`),
    });
    const demoUser = await ensureDemoUser(threadline);
    await threadline.start();
    running.threadline = threadline;

    // 5. One HTTP server: pages, the JSON API, webhooks (/webhooks/*), sockets (/webchat) and
    //    the phone page (/phone, passed through to the emulator).
    const widget = await loadWidgetBundle();
    const handleWebhook = threadline.toNodeHandler();
    const actions = {
      skip: (ms = SKIP_MS) => {
        clock.advance(ms);
        const amount = ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} hours` : `${ms / 1000} s`;
        activity.add(
          `skipped ${amount} on the clock Threadline and the emulator share${ms >= 24 * 3_600_000 ? ': every WhatsApp window is closed now' : ''}`,
        );
      },
      run: async (actionId: string, userId: string) => {
        const action = actionsById.get(actionId);
        if (!action) throw new Error(`no action ${actionId}`);
        const result = await action.run({ userId, threadline });
        activity.add(describeOutcome(action.label, userId, result), result);
        return result;
      },
      reminder: async (userId: string) => {
        await runReminderNow(threadline, clock, userId);
        return { ok: true };
      },
    };
    const proxies = Object.values(panels).flatMap((panel) => panel.proxies ?? []);
    const homePanels = (Object.entries(panels) as Array<[ChannelName, ChannelPanel]>).map(
      ([name, panel]) => ({
        name,
        title: CHANNELS[name].title,
        caption: panel.caption,
        ...(panel.pagePath ? { pagePath: panel.pagePath } : {}),
      }),
    );
    const nav = navLinks(homePanels);
    const inspectorActions = [...actionsById.values()].map(({ id, label, hint }) => ({
      id,
      label,
      ...(hint ? { hint } : {}),
    }));
    async function route(req: IncomingMessage, res: ServerResponse) {
      const url = new URL(req.url ?? '/', 'http://demo.local');
      const path = url.pathname;
      if (path.startsWith('/webhooks/')) return handleWebhook(req, res);
      const proxy = proxies.find((route) => matchesPrefix(path, route.prefix));
      if (proxy) return proxyTo(proxy, req, res);
      if (req.method === 'GET') {
        if (path === '/') return sendHtml(res, homePage(homePanels, nav));
        if (path === '/chat') return sendHtml(res, chatPage(nav));
        if (path === '/inspector') return sendHtml(res, inspectorPage(inspectorActions, nav));
        if (path === WIDGET_PATH) return send(res, 200, 'text/javascript', widget.code);
        if (path === '/chat-token') {
          // Stands in for "after your own login": the token names the user the visitor is.
          return sendJson(res, 200, {
            token: await webChatToken(DEMO_USER.id, clock, DEMO_USER.displayName),
          });
        }
        const image = /^\/img\/([a-z-]+)\.png$/.exec(path)?.[1];
        if (image && isDemoImage(image)) return send(res, 200, 'image/png', demoImagePng(image));
        if (path === '/api/state') {
          return sendJson(
            res,
            200,
            await inspectorSnapshot({
              threadline,
              adapters,
              panels: Object.values(panels),
              clock,
              storeDescription,
              knownUsers,
              activity,
            }),
          );
        }
        if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
      }
      if (req.method === 'POST' && path.startsWith('/api/')) {
        if (req.headers[ACTION_HEADER] !== '1')
          return sendJson(res, 403, { error: `send the ${ACTION_HEADER}: 1 header` });
        if (path === '/api/clock/skip') {
          actions.skip();
          return sendJson(res, 200, { now: new Date(clock.now()).toISOString() });
        }
        const match = /^\/api\/users\/([^/]+)\/([a-z-]+)$/.exec(path);
        const actionId = match?.[2] ?? '';
        if (match && (actionId === 'reminder' || actionsById.has(actionId))) {
          const userId = decodeURIComponent(match[1] as string);
          if (!(await threadline.users.find(userId)))
            return sendJson(res, 404, { error: `no user ${userId}` });
          try {
            const result =
              actionId === 'reminder'
                ? await actions.reminder(userId)
                : await actions.run(actionId, userId);
            return sendJson(res, 200, result);
          } catch (error) {
            // Typed errors keep their class name and stable code: the inspector shows both.
            const { name, message } = error as Error;
            const code = (error as { code?: unknown }).code;
            activity.add(
              `${actionId} for ${userId} refused: ${name}${typeof code === 'string' ? ` (${code})` : ''}: ${message}`,
            );
            return sendJson(res, 422, {
              error: message,
              name,
              ...(typeof code === 'string' ? { code } : {}),
            });
          }
        }
      }
      return sendJson(res, 404, { error: `nothing at ${req.method} ${path}` });
    }
    handler = route;

    // 6. Each channel links Ann, points its emulator's webhooks at /webhooks/<adapter id> (after
    //    the provider's handshake) and attaches what it needs to the server.
    for (const panel of Object.values(panels))
      await panel.connect?.({ threadline, server, baseUrl, userId: demoUser.id });
    log(`store: ${storeDescription}; widget ${widget.source}`);

    let stopped: Promise<void> | undefined;
    return {
      url: `${baseUrl}/`,
      chatUrl: `${baseUrl}/chat`,
      phoneUrl: `${baseUrl}${DEMO_PHONE_PATH}`,
      inspectorUrl: `${baseUrl}/inspector`,
      channelPages: homePanels.flatMap((panel) =>
        panel.pagePath
          ? [{ title: panel.title, url: new URL(panel.pagePath, baseUrl).toString() }]
          : [],
      ),
      dataDir,
      storeDescription,
      widgetSource: widget.source,
      threadline,
      emulator,
      panels: typedPanels,
      store,
      clock,
      demoUser,
      activity,
      skipTime: actions.skip,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A relative data directory lives in the package, wherever the demo was started from. */
function resolveDataDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(PACKAGE_DIR, dir);
}

/** Runtime warnings and errors go to the demo's log; the rest is quiet. */
function demoLogger(log: (line: string) => void): Logger {
  const write = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    const error = fields.err instanceof Error ? `: ${fields.err.message}` : '';
    log(`[threadline ${level}] ${message ?? ''}${error}`);
  };
  const quiet = () => {};
  return { debug: quiet, info: quiet, warn: write('warn'), error: write('error') };
}
