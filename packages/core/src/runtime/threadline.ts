import { randomUUID } from 'node:crypto';
import { parseOptions } from '../errors/validation';
import type { ThreadStore } from '../store/thread-store';
import { Telemetry } from '../telemetry/telemetry';
import { systemClock } from '../time/clock';
import { silentLogger } from '../time/logger';
import { AdapterRegistry, BackgroundWork, type RuntimeContext } from './context';
import { createDeliveriesApi, type DeliveriesApi } from './deliveries';
import { type ThreadlineEventName, ThreadlineEvents, type ThreadlineListener } from './events';
import { createHealthApi, type HealthApi } from './health';
import { type NodeHandler, toNodeHandler } from './http/node';
import { createWebhookRouter, type FetchOptions, isWebhookPath } from './http/router';
import { createWakeAgent } from './inbound/agent-turn';
import { TurnRunner } from './inbound/durable-turns';
import { InboundPipeline } from './inbound/pipeline';
import { TurnPoller } from './inbound/turn-poller';
import { TurnQueue } from './inbound/turns';
import { createJobs, type JobsApi } from './jobs/index';
import { observeRuntime } from './observe';
import { type ThreadlineOptions, ThreadlineOptionsSchema } from './options';
import { createBulkTemplates, type TemplatesApi } from './outbound/bulk/templates';
import { type ChannelsApi, createChannelsApi } from './outbound/channels';
import { createClosedWindowHandler } from './outbound/hold';
import { Dispatcher } from './outbox/dispatcher';
import { createUsersApi, type UsersApi } from './users';

/**
 * A running Threadline: the HTTP edge for webhooks, the outbound API, users, deliveries and jobs.
 */
export interface Threadline {
  /** Handles `GET|POST <basePath>/:adapterId` (Web-standard; use directly on edge runtimes). */
  fetch(request: Request, options?: FetchOptions): Promise<Response>;
  /** The same as a `node:http` handler or Express middleware. */
  toNodeHandler(): NodeHandler;
  channels: ChannelsApi;
  templates: TemplatesApi;
  users: UsersApi;
  deliveries: DeliveriesApi;
  jobs: JobsApi;
  /** Liveness and readiness for probes: mount `liveResponse()` and `readyResponse()`. */
  health: HealthApi;
  store: ThreadStore;
  /** Listens to runtime events; returns a function that stops listening. */
  on<E extends ThreadlineEventName>(event: E, listener: ThreadlineListener<E>): () => void;
  /** Starts adapters that hold connections, the outbox poller and the job scheduler. */
  start(): Promise<void>;
  /** Stops them and waits for work in flight. */
  stop(): Promise<void>;
  /** Attempts every delivery that is due now (the poller does this on its own after `start`). */
  runDue(): Promise<number>;
  /** Resolves once background work (agent turns, released messages) has finished. */
  idle(): Promise<void>;
}

/**
 * Puts a thread store and channel adapters together into a running agent channel layer.
 *
 * @example
 * ```ts
 * const threadline = createThreadline({
 *   store: createMemoryStore(),
 *   adapters: [createWhatsAppCloudAdapter({ … })],
 *   async onMessage({ message, reply }) {
 *     await reply(`You said: ${message.text}`);
 *   },
 * });
 * http.createServer(threadline.toNodeHandler()).listen(3000);
 * await threadline.start();
 * ```
 */
export function createThreadline(input: ThreadlineOptions): Threadline {
  const options = parseOptions(ThreadlineOptionsSchema, input, 'createThreadline');
  const logger = options.logger ?? silentLogger;
  const reportError: RuntimeContext['reportError'] = (error, context) => {
    logger.error({ err: error, ...context }, `threadline ${context.phase} error`);
    try {
      options.onError?.(error, context);
    } catch (hookError) {
      logger.error({ err: hookError }, 'onError threw');
    }
  };
  const events = new ThreadlineEvents((error, event) =>
    reportError(error, { phase: 'listener', ...{ event } }),
  );
  const ctx: RuntimeContext = {
    store: options.store,
    adapters: new AdapterRegistry(options.adapters),
    agentId: options.agentId,
    instanceId: options.instanceId ?? `threadline-${randomUUID()}`,
    clock: options.clock ?? systemClock,
    logger,
    events,
    options,
    background: new BackgroundWork(),
    random: options.random ?? Math.random,
    telemetry: new Telemetry(options.telemetry),
    reportError,
  };

  let dispatcher: Dispatcher;
  const onClosedWindow = createClosedWindowHandler(ctx, () => dispatcher);
  dispatcher = new Dispatcher(ctx, onClosedWindow);
  const wake = createWakeAgent(ctx, dispatcher, options.onMessage);
  // No agent, no turns: the pipeline then skips the turn queue and its store lease entirely.
  const turns = wake && new TurnRunner(ctx, new TurnQueue(ctx), wake);
  const turnPoller = turns && new TurnPoller(ctx, turns);
  const pipeline = new InboundPipeline(ctx, dispatcher, turns);
  const router = createWebhookRouter(ctx, pipeline);
  const jobs = createJobs(ctx);
  const connectionSink = pipeline.sink((work) =>
    ctx.background.track(work.catch((error: unknown) => reportError(error, { phase: 'inbound' }))),
  );
  let started = false;
  let stopMetrics = () => {};

  return {
    fetch: (request, fetchOptions) => router.fetch(request, fetchOptions),
    toNodeHandler: () =>
      toNodeHandler({ router, accepts: (pathname) => isWebhookPath(ctx, pathname) }),
    channels: createChannelsApi(ctx, dispatcher),
    templates: createBulkTemplates(ctx, dispatcher),
    users: createUsersApi(ctx, dispatcher),
    deliveries: createDeliveriesApi(ctx, dispatcher),
    jobs,
    health: createHealthApi(ctx, () => started),
    store: options.store,
    on: (event, listener) => events.on(event, listener),
    async start() {
      if (started) return;
      started = true;
      await ctx.telemetry.ready;
      stopMetrics = observeRuntime(ctx);
      ctx.background.resumeWaits();
      for (const adapter of ctx.adapters.all()) {
        await adapter.start?.({
          sink: connectionSink,
          store: ctx.store,
          agentId: ctx.agentId,
          clock: ctx.clock,
          logger,
          reportError: (error) => reportError(error, { phase: 'inbound', adapterId: adapter.id }),
        });
      }
      dispatcher.start();
      turnPoller?.start();
      await jobs.start();
      // Deliveries left by a previous run (or a dead instance whose leases expired) go out now.
      ctx.background.track(
        dispatcher.runDue().catch((error: unknown) => reportError(error, { phase: 'dispatch' })),
      );
    },
    async stop() {
      if (!started) return;
      started = false;
      stopMetrics();
      await jobs.stop();
      await turnPoller?.stop();
      await dispatcher.stop();
      for (const adapter of ctx.adapters.all()) await adapter.stop?.();
      ctx.background.cancelWaits();
      await ctx.background.idle();
    },
    runDue: () => dispatcher.runDue(),
    idle: () => ctx.background.idle(),
  };
}
