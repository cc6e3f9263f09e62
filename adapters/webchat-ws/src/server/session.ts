import type { AdapterContext, InboundEvent } from '@threadline/core';
import type { WebSocket } from 'ws';
import type { ResolvedWebChatOptions } from '../options';
import type { clientFrameSchema } from '../protocol/client-frames';
import type { Connection } from './connection';
import type { FanOut } from './fan-out';
import type { ConnectionRegistry } from './registry';
import { findThreadId } from './replay';

/** What the socket handlers share with the server they belong to (`WebChatServer`). */
export interface ServerParts {
  readonly options: ResolvedWebChatOptions;
  /** Client frames are validated against this, built once from `maxTextLength`. */
  readonly schema: ReturnType<typeof clientFrameSchema>;
  /** Set-up connections, found by user and address. */
  readonly registry: ConnectionRegistry;
  /** Every accepted socket, set up or not: what `stop()` closes. */
  readonly sockets: Set<WebSocket>;
  /**
   * The fan-out of the current run, read when it is used rather than when the socket was
   * accepted: a frame still being handled when the server stops and starts again uses the new one.
   */
  readonly fanOut: FanOut | undefined;
}

/**
 * One accepted socket and what handling it needs: the server's parts and the runtime context of
 * the run that accepted it.
 */
export interface Session {
  readonly server: ServerParts;
  readonly context: AdapterContext;
  readonly connection: Connection;
}

/** The visitor's thread with the agent this adapter serves, if it exists yet. */
export function sessionThreadId(session: Session): Promise<string | undefined> {
  return findThreadId(session.context.store, session.connection, agentIdOf(session));
}

/** The agent whose thread the visitor sees: the option, else the runtime's. */
export function agentIdOf(session: Pick<Session, 'server' | 'context'>): string {
  return session.server.options.agentId ?? session.context.agentId;
}

/**
 * Emits an event that may be lost (typing, read status): a failure is logged, not thrown, so it
 * does not stop the frames queued behind it.
 */
export async function emitQuietly(context: AdapterContext, event: InboundEvent): Promise<void> {
  try {
    await context.sink.emit(event);
  } catch (error) {
    context.logger.warn({ err: error, type: event.type }, 'web chat: an event was not recorded');
  }
}
