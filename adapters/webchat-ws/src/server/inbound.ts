import type { RawData } from 'ws';
import { parseClientFrame } from '../protocol/client-frames';
import { CLOSE_CODES } from '../protocol/close-codes';
import type { ClientFrame } from '../protocol/frames';
import { receiveMessage } from './message';
import { receiveRead } from './read';
import { emitQuietly, type Session } from './session';

/** A visitor typing keeps typing: pass on at most one typing event per connection per 2 s. */
const TYPING_THROTTLE_MS = 2_000;

/**
 * Takes one WebSocket message from the client: rate-limits it, checks it is a protocol frame
 * (closing the socket when not) and queues it, so frames are handled one at a time in order.
 */
export function receiveFrame(session: Session, input: { data: RawData; isBinary: boolean }): void {
  const { context, connection } = session;
  const { data, isBinary } = input;
  if (!connection.open) return;
  // Counted before parsing: a flood of garbage is as much a flood as one of valid frames.
  if (!connection.bucket.take()) {
    connection.close(CLOSE_CODES.RATE_LIMITED, 'rate limited');
    return;
  }
  if (isBinary) {
    connection.close(CLOSE_CODES.BAD_MESSAGE, 'binary frames are not part of the protocol');
    return;
  }
  const text = (
    Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
  ).toString('utf8');
  const parsed = parseClientFrame(text, session.server.schema);
  if (!parsed.ok) {
    connection.close(CLOSE_CODES.BAD_MESSAGE, parsed.reason);
    return;
  }
  connection.queue = connection.queue
    .then(() => handleFrame(session, parsed.frame))
    .catch((error: unknown) => {
      context.logger.error({ err: error }, 'web chat: handling a client frame failed');
    });
}

async function handleFrame(session: Session, frame: ClientFrame): Promise<void> {
  const { server, context, connection } = session;
  if (!connection.open) return;
  switch (frame.type) {
    case 'message':
      return receiveMessage(session, frame);
    case 'typing': {
      const now = context.clock.now();
      if (now - connection.lastTypingAt < TYPING_THROTTLE_MS) return;
      connection.lastTypingAt = now;
      await emitQuietly(context, {
        type: 'typing',
        adapterId: server.options.id,
        channel: 'webchat',
        from: connection.sender,
        timestamp: new Date(now),
      });
      return;
    }
    case 'read':
      return receiveRead(session, frame);
    case 'ping':
      connection.send({ type: 'pong', ...(frame.id === undefined ? {} : { id: frame.id }) });
      return;
  }
}
