import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AdapterContext, OutboundEnvelope, SendResult, ThreadEntry } from '@threadline/core';
import { type WebSocket, WebSocketServer } from 'ws';
import { tokenKeysOf } from '../auth/keys';
import type { VisitorTokenKeys } from '../auth/token';
import { sendFailure } from '../errors';
import type { ResolvedWebChatOptions } from '../options';
import { clientFrameSchema } from '../protocol/client-frames';
import { CLOSE_CODES } from '../protocol/close-codes';
import { entryFrame } from '../render';
import { sendEnvelope } from '../send';
import { acceptSocket } from './accept';
import { FanOut, fanOutTopic } from './fan-out';
import { startHeartbeat } from './heartbeat';
import { ConnectionRegistry } from './registry';
import type { ServerParts } from './session';
import { decideUpgrade, refuseUpgrade } from './upgrade';

/** How long `stop()` waits for sockets to finish their closing handshake before cutting them. */
const CLOSE_GRACE_MS = 1_000;

/**
 * The socket side of the adapter: authenticates upgrades, keeps the connections, turns client
 * frames into inbound events and delivers outbound frames (here and, through pub/sub, on the other
 * instances). One per adapter; `start`/`stop` follow the runtime's.
 *
 * The work is done by the modules next to it: `accept` (connection set-up, welcome and replay),
 * `inbound` with `message` and `read` (client frames), `heartbeat`, and `../send` (fan-out).
 */
export class WebChatServer {
  readonly #options: ResolvedWebChatOptions;
  readonly #tokenKeys: VisitorTokenKeys;
  readonly #registry = new ConnectionRegistry();
  readonly #sockets = new Set<WebSocket>();
  readonly #parts: ServerParts;
  #context: AdapterContext | undefined;
  #wss: WebSocketServer | undefined;
  #fanOut: FanOut | undefined;
  #stopHeartbeat: (() => void) | undefined;

  constructor(options: ResolvedWebChatOptions) {
    this.#options = options;
    this.#tokenKeys = tokenKeysOf(options);
    const currentFanOut = () => this.#fanOut;
    this.#parts = {
      options,
      schema: clientFrameSchema(options.maxTextLength),
      registry: this.#registry,
      sockets: this.#sockets,
      get fanOut() {
        return currentFanOut();
      },
    };
  }

  get running(): boolean {
    return this.#context !== undefined;
  }

  /** Sockets set up and open on this instance. */
  get connections(): number {
    return this.#registry.size;
  }

  async start(context: AdapterContext): Promise<void> {
    if (this.#context !== undefined) return;
    const fanOut = new FanOut({
      registry: this.#registry,
      pubsub: context.store.pubsub,
      topic: fanOutTopic(this.#options.id),
      origin: randomUUID(),
      logger: context.logger,
    });
    await fanOut.start();
    this.#fanOut = fanOut;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.#options.maxPayload,
      // Off by default on the server for good reason: compression costs CPU and memory per socket
      // and fragments memory under concurrency (ws docs); chat frames are small.
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.#context = context;
    this.#stopHeartbeat = startHeartbeat({
      registry: this.#registry,
      clock: context.clock,
      intervalMs: this.#options.heartbeatIntervalMs,
    });
  }

  async stop(): Promise<void> {
    const context = this.#context;
    if (context === undefined) return;
    this.#context = undefined;
    this.#stopHeartbeat?.();
    await this.#fanOut?.stop();
    const sockets = [...this.#sockets];
    const closed = Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) resolve();
            else ws.once('close', () => resolve());
          }),
      ),
    );
    for (const ws of sockets) ws.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      closed,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    for (const ws of this.#sockets) ws.terminate();
    this.#wss?.close();
    this.#wss = undefined;
  }

  /**
   * Handles an HTTP upgrade request if it is for this adapter's path; returns `false` (touching
   * nothing) otherwise, so other WebSocket servers on the same HTTP server keep working.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.#options.path) return false;
    socket.on('error', () => socket.destroy());
    const context = this.#context;
    const wss = this.#wss;
    if (context === undefined || wss === undefined) {
      refuseUpgrade(socket, 503, 'web chat is not running');
      return true;
    }
    // Verifying can fetch the host's JWKS, so the answer comes later; the upgrade is ours already.
    const options = this.#options;
    void decideUpgrade(request, url, { options, keys: this.#tokenKeys, now: context.clock.now() })
      .then((decision) => {
        if (!decision.ok) {
          context.logger.debug(
            { status: decision.status, reason: decision.message },
            'web chat: upgrade refused',
          );
          refuseUpgrade(socket, decision.status, decision.message);
          return;
        }
        if (this.#wss !== wss || socket.destroyed) {
          refuseUpgrade(socket, 503, 'web chat is not running');
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
          acceptSocket(this.#parts, {
            ws,
            context,
            identity: decision.identity,
            lastSeq: decision.lastSeq,
          });
        });
      })
      .catch((error: unknown) => {
        context.logger.error({ err: error }, 'web chat: upgrade failed');
        refuseUpgrade(socket, 500, 'upgrade failed');
      });
    return true;
  }

  /** Not `async` itself: `sendEnvelope`'s promise is handed back as it is (one promise per send). */
  send(envelope: OutboundEnvelope, signal?: AbortSignal): Promise<SendResult> {
    const context = this.#context;
    const fanOut = this.#fanOut;
    if (context === undefined || fanOut === undefined) {
      return Promise.reject(sendFailure('not_started'));
    }
    const { clock } = context;
    return sendEnvelope(fanOut, envelope, () => new Date(clock.now()), context.logger, signal);
  }

  /**
   * Shows an entry of the user's thread that went through another channel on their open sockets,
   * as the replay after a reconnect would. Each socket takes an entry once (keyed by thread and
   * seq), and a socket still replaying gets it after the replay, unless the replay carried it.
   */
  async mirror(input: { userId: string; entry: ThreadEntry }): Promise<number> {
    const fanOut = this.#fanOut;
    if (this.#context === undefined || fanOut === undefined) throw sendFailure('not_started');
    const { entry, userId } = input;
    // This channel's own entries reach the sockets when they are sent or received.
    if (entry.channel === undefined || entry.channel === 'webchat') return 0;
    const frame = entryFrame(entry, `user:${userId}`);
    if (frame === undefined) return 0;
    const result = await fanOut.deliver(
      { userId },
      { ...frame, replay: false },
      { key: `entry:${entry.threadId}:${entry.seq}` },
    );
    return result.local;
  }

  async sendTyping(input: { to: { address: string } }): Promise<void> {
    const fanOut = this.#fanOut;
    if (this.#context === undefined || fanOut === undefined) throw sendFailure('not_started');
    await fanOut.deliver({ address: input.to.address }, { type: 'typing' });
  }

  async markRead(input: { to: { address: string }; providerMessageId: string }): Promise<void> {
    const fanOut = this.#fanOut;
    if (this.#context === undefined || fanOut === undefined) throw sendFailure('not_started');
    const prefix = `${input.to.address}:`;
    const clientMsgId = input.providerMessageId.startsWith(prefix)
      ? input.providerMessageId.slice(prefix.length)
      : input.providerMessageId;
    await fanOut.deliver(
      { address: input.to.address },
      { type: 'receipt', status: 'read', clientMsgId },
    );
  }
}
