import type { ThreadEntry, ThreadStore } from '@threadline/core';

/** The most entries one user's thread holds in a scenario. */
const MAX_ENTRIES_PER_THREAD = 1_000;

/** Every entry in the threads of these WhatsApp numbers, read through the store's own contract. */
async function entriesOf(store: ThreadStore, numbers: readonly string[]): Promise<ThreadEntry[]> {
  const all: ThreadEntry[] = [];
  for (const address of numbers) {
    const identity = await store.identities.get({ channel: 'whatsapp', address });
    if (identity === null) continue;
    for (const thread of await store.threads.listByUser(identity.userId)) {
      all.push(
        ...(await store.threads.read(thread.id, { after: 0, limit: MAX_ENTRIES_PER_THREAD })),
      );
    }
  }
  return all;
}

/**
 * How many times each inbound provider message id is in the threads of these WhatsApp numbers,
 * read back through the store's own contract (so PostgreSQL and Redis are checked alike).
 */
export async function recordedInbound(
  store: ThreadStore,
  numbers: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of await entriesOf(store, numbers)) {
    if (entry.direction !== 'inbound' || entry.providerMessageId === undefined) continue;
    counts.set(entry.providerMessageId, (counts.get(entry.providerMessageId) ?? 0) + 1);
  }
  return counts;
}

/** The texts of the outbound entries in the threads of these WhatsApp numbers. */
export async function recordedOutbound(
  store: ThreadStore,
  numbers: readonly string[],
): Promise<Set<string>> {
  const entries = await entriesOf(store, numbers);
  return new Set(entries.filter((entry) => entry.direction === 'outbound').map((e) => e.text));
}

/** Extra copies beyond one, summed. */
export function extraCopies(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}
