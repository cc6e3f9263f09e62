import { type AdapterContext, AddressTakenError } from '@threadline/core';
import type { WebSocket } from 'ws';
import type { VisitorIdentity } from '../auth/token';
import { CLOSE_CODES } from '../protocol/close-codes';
import { Connection } from './connection';
import { closeAtExpiry } from './expiry';
import { receiveFrame } from './inbound';
import { TokenBucket } from './rate-limit';
import { replay } from './replay';
import { agentIdOf, type ServerParts, type Session } from './session';
import { welcomeFrame } from './welcome';

/**
 * Takes an upgraded socket in: tracks it, listens to it, and sets the connection up (see
 * {@link setUp}). Client frames are read from the start and queue behind the set-up.
 */
export function acceptSocket(
  server: ServerParts,
  input: {
    ws: WebSocket;
    context: AdapterContext;
    identity: VisitorIdentity;
    lastSeq: number | undefined;
  },
): void {
  const { ws, context, identity, lastSeq } = input;
  const { burst, perSecond } = server.options.rate;
  const connection = new Connection({
    ws,
    identity,
    bucket: new TokenBucket({ burst, perSecond, clock: context.clock }),
  });
  const session: Session = { server, context, connection };
  server.sockets.add(ws);
  ws.on('pong', () => {
    connection.isAlive = true;
  });
  ws.on('error', (error) => context.logger.debug({ err: error }, 'web chat: socket error'));
  const stopExpiry = closeAtExpiry(connection, context.clock);
  ws.on('close', () => {
    stopExpiry();
    server.sockets.delete(ws);
    server.registry.remove(connection);
  });
  ws.on('message', (data, isBinary) => receiveFrame(session, { data, isBinary }));
  connection.queue = setUp(session, lastSeq).catch((error: unknown) => refuse(session, error));
}

/**
 * A connection whose set-up failed: closed, and the host told through `onError` (no caller awaits
 * a socket's set-up, so a log line alone would hide it). An address linked to another user is
 * refused for good (4403); anything else is a server error the client may retry (1011).
 */
function refuse(session: Session, error: unknown): void {
  const { context, connection } = session;
  // The runtime's reportError logs too; a core without it gets the log line alone.
  if (context.reportError === undefined) {
    context.logger.error({ err: error }, 'web chat: setting up a connection failed');
  } else {
    context.reportError(error);
  }
  if (error instanceof AddressTakenError) {
    connection.close(CLOSE_CODES.ADDRESS_TAKEN, 'address linked to another user');
  } else {
    connection.close(CLOSE_CODES.INTERNAL_ERROR, 'server error; reconnect');
  }
}

/**
 * Records the visitor (a `connected` conversation update, so the identity exists and carries a
 * reference), then welcomes and replays. Frames that arrive meanwhile wait in the queue.
 */
async function setUp(session: Session, lastSeq: number | undefined): Promise<void> {
  const { server, context, connection } = session;
  const { id, maxConnectionsPerUser } = server.options;
  const receipt = await context.sink.emit({
    type: 'conversation-update',
    adapterId: id,
    channel: 'webchat',
    action: 'connected',
    from: connection.sender,
    ...connection.authenticated,
    reference: { adapterId: id, address: connection.address },
    timestamp: new Date(context.clock.now()),
  });
  // A core older than emit receipts resolves `undefined`: the token's user is all we know then.
  if (connection.userId === undefined && receipt?.userId !== undefined) {
    connection.userId = receipt.userId;
  }
  if (!connection.open) return;
  if (server.registry.countFor(connection) >= maxConnectionsPerUser) {
    connection.close(CLOSE_CODES.TOO_MANY_CONNECTIONS, 'too many connections for this user');
    return;
  }
  server.registry.add(connection);
  connection.send(
    await welcomeFrame(connection, { options: server.options, now: context.clock.now() }),
  );
  await replay(context.store, connection, {
    agentId: agentIdOf(session),
    lastSeq,
    historyLimit: server.options.historyLimit,
    replayLimit: server.options.replayLimit,
  });
}
