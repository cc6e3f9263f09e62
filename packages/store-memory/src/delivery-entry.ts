import { type Delivery, type NewDelivery, NotFoundError, type ThreadEntry } from '@threadline/core';
import { copy } from './copy';
import type { MemoryState } from './state';
import { appendEntry } from './threads';

/**
 * The thread a `create` with `threadEntry` appends to, looked up before anything is written: an
 * unknown thread fails the create with neither the delivery nor the entry stored. `undefined`
 * when there is no entry to write.
 */
export function entryThread(
  state: MemoryState,
  input: NewDelivery,
): { threadId: string; entries: ThreadEntry[] } | undefined {
  if (input.threadEntry === undefined) return undefined;
  const threadId = input.threadId;
  const entries = threadId === undefined ? undefined : state.entries.get(threadId);
  if (threadId === undefined || entries === undefined) {
    throw new NotFoundError('thread', threadId ?? '(no threadId)');
  }
  return { threadId, entries };
}

/** Appends the create's thread entry for `delivery`, in the same synchronous step as the insert. */
export function appendDeliveryEntry(
  thread: { threadId: string; entries: ThreadEntry[] },
  input: NewDelivery,
  delivery: Delivery,
): ThreadEntry {
  // Copied, then given its delivery id: the same keys in the same order as copying
  // `{ ...threadEntry, deliveryId }`, without building that object first.
  const stored = copy(input.threadEntry) as ThreadEntry;
  stored.deliveryId = delivery.id;
  return copy(appendEntry(thread.entries, thread.threadId, stored));
}
