import type { ClientReadFrame } from '../protocol/frames';
import { emitQuietly, type Session, sessionThreadId } from './session';

/** Outbound entries a `read` frame may mark read at once (older ones were marked by earlier reads). */
const READ_SCAN_LIMIT = 50;

/** The widget saw everything up to `seq`: web chat deliveries up to there are `read`. */
export async function receiveRead(session: Session, frame: ClientReadFrame): Promise<void> {
  const { server, context, connection } = session;
  if (frame.seq <= connection.readSeq) return;
  const from = Math.max(connection.readSeq, frame.seq - READ_SCAN_LIMIT);
  connection.readSeq = frame.seq;
  const threadId = await sessionThreadId(session);
  if (threadId === undefined) return;
  const entries = await context.store.threads.read(threadId, {
    after: from,
    limit: READ_SCAN_LIMIT,
  });
  for (const entry of entries) {
    if (entry.seq > frame.seq || entry.direction !== 'outbound') continue;
    if (entry.adapterId !== server.options.id || entry.deliveryId === undefined) continue;
    await emitQuietly(context, {
      type: 'status',
      adapterId: server.options.id,
      channel: 'webchat',
      providerMessageId: entry.deliveryId,
      status: 'read',
      timestamp: new Date(context.clock.now()),
      address: connection.address,
    });
  }
}
