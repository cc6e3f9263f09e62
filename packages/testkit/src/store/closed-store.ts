import type { ThreadStore } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { PHONE_A } from './fixtures';
import type { StoreHarness } from './harness';

const ADDRESS = { channel: 'sms', address: PHONE_A };

/** One call of each part the store has: a read where there is one, so none writes anything. */
function oneCallPerPart(store: ThreadStore): Array<[string, () => Promise<unknown>]> {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['users.get', () => store.users.get('someone')],
    ['identities.get', () => store.identities.get(ADDRESS)],
    ['threads.get', () => store.threads.get('some-thread')],
    ['dedupe.claim', () => store.dedupe.claim('key', 60_000)],
    ['deliveries.get', () => store.deliveries.get('some-delivery')],
    ['held.list', () => store.held.list('someone')],
    ['consent.isOptedOut', () => store.consent.isOptedOut(ADDRESS)],
    ['leases.holder', () => store.leases.holder('lease')],
    ['jobs.get', () => store.jobs.get('job')],
    ['privacy.exportUser', () => store.privacy.exportUser('someone')],
  ];
  const { deadLetters, turns, pubsub } = store;
  if (deadLetters !== undefined) calls.push(['deadLetters.list', () => deadLetters.list()]);
  if (turns !== undefined) calls.push(['turns.get', () => turns.get('turn')]);
  if (pubsub !== undefined) calls.push(['pubsub.publish', () => pubsub.publish('topic', 1)]);
  return calls;
}

/**
 * `close()`: it ends the store for good. A call after it is the caller's bug, so it must fail
 * plainly (a `StoreError` with code `store_closed`, not retryable) rather than quietly reopen a
 * connection or answer from memory; closing twice is harmless.
 */
export function describeClosedStore(h: StoreHarness): void {
  describe('close', () => {
    it('after close(), a call to any part rejects with store_closed', async () => {
      const { store } = h;
      await store.users.create({});
      await store.close();
      for (const [name, call] of oneCallPerPart(store)) {
        await expect(call(), name).rejects.toMatchObject({
          name: 'StoreError',
          code: 'store_closed',
          retryable: false,
        });
      }
    });

    it('closing a closed store again resolves', async () => {
      await h.store.close();
      await expect(h.store.close()).resolves.toBeUndefined();
    });
  });
}
