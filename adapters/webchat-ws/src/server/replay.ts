import type { ThreadEntry, ThreadStore } from '@threadline/core';
import type { SyncedFrame } from '../protocol/frames';
import { entryFrame } from '../render';
import type { Connection } from './connection';

/** Where the visitor's thread is, if it exists yet. */
export async function findThreadId(
  store: ThreadStore,
  connection: Connection,
  agentId: string,
): Promise<string | undefined> {
  if (connection.threadId !== undefined) return connection.threadId;
  if (connection.userId === undefined) return undefined;
  const threads = await store.threads.listByUser(connection.userId);
  connection.threadId = threads.find((thread) => thread.agentId === agentId)?.id;
  return connection.threadId;
}

/** What to send a connecting client: the entries, and whether they replace what it shows. */
async function entriesToSend(
  store: ThreadStore,
  threadId: string,
  input: { lastSeq: number | undefined; historyLimit: number; replayLimit: number },
): Promise<{ entries: ThreadEntry[]; reset: boolean }> {
  const { lastSeq, historyLimit, replayLimit } = input;
  if (lastSeq === undefined) {
    return { entries: await store.threads.read(threadId, { latest: historyLimit }), reset: true };
  }
  const missed = await store.threads.read(threadId, { after: lastSeq, limit: replayLimit + 1 });
  if (missed.length > replayLimit) {
    // Too far behind to catch up message by message: start again from the latest ones.
    return { entries: await store.threads.read(threadId, { latest: replayLimit }), reset: true };
  }
  if (missed.length === 0 && lastSeq > 0) {
    // A client ahead of the thread saw another thread (the store was replaced, or the user
    // merged): it must drop what it shows.
    const [latest] = await store.threads.read(threadId, { latest: 1 });
    if ((latest?.seq ?? 0) < lastSeq) {
      return { entries: await store.threads.read(threadId, { latest: historyLimit }), reset: true };
    }
  }
  return { entries: missed, reset: false };
}

/**
 * Replays the thread to a (re)connecting client from the store, then releases the live frames
 * that arrived meanwhile (skipping those the replay already carried). With `lastSeq` it sends what
 * was missed; without, the latest `historyLimit` entries. Ends with a `synced` frame.
 */
export async function replay(
  store: ThreadStore,
  connection: Connection,
  input: {
    agentId: string;
    lastSeq: number | undefined;
    historyLimit: number;
    replayLimit: number;
  },
): Promise<void> {
  const replayed = new Set<number>();
  const threadId = await findThreadId(store, connection, input.agentId);
  if (threadId === undefined) {
    connection.send({ type: 'synced', lastSeq: 0, reset: true });
    connection.finishReplay(replayed);
    return;
  }
  const { entries, reset } = await entriesToSend(store, threadId, input);
  for (const entry of entries) {
    replayed.add(entry.seq);
    const frame = entryFrame(entry, connection.address);
    if (frame !== undefined) connection.send(frame);
  }
  const last = entries.at(-1)?.seq ?? (reset ? 0 : (input.lastSeq ?? 0));
  const synced: SyncedFrame = { type: 'synced', lastSeq: last, reset };
  connection.send(synced);
  connection.finishReplay(replayed);
}
