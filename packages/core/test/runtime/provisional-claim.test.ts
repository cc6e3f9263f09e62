import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type ThreadStore } from '../../src/index';
import { PROVISIONAL_CLAIM_MS } from '../../src/runtime/inbound/record';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

function down(): StoreError {
  return new StoreError('connection refused', { code: 'store_unavailable', retryable: true });
}

/**
 * The memory store without `inbound` (so the core records with the per-part methods), whose
 * `threads.append` and `dedupe.release` fail the first `failures` times: the database went down
 * after the claim committed.
 */
function downAfterClaim(store: ThreadStore, failures: number): ThreadStore {
  let appends = failures;
  let releases = failures;
  const threads = Object.create(store.threads) as ThreadStore['threads'];
  threads.append = (threadId, entry) => {
    if (appends > 0) {
      appends -= 1;
      return Promise.reject(down());
    }
    return store.threads.append(threadId, entry);
  };
  const dedupe = Object.create(store.dedupe) as ThreadStore['dedupe'];
  dedupe.release = (key) => {
    if (releases > 0) {
      releases -= 1;
      return Promise.reject(down());
    }
    return store.dedupe.release(key);
  };
  return Object.assign(Object.create(store) as ThreadStore, {
    threads,
    dedupe,
    inbound: undefined,
  });
}

describe('the dedupe claim of a message the store failed to record', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('is provisional: the retry after it expires is recorded, once, and later retries are duplicates', async () => {
    const clock = createFakeClock();
    const store = downAfterClaim(createMemoryStore({ clock }), 1);
    h = await createHarness({ clock, store });
    const body = {
      events: [{ type: 'message' as const, id: 'wamid.lost', from: ANN, text: 'keep me' }],
    };
    const deliver = async () =>
      (await h.threadline.fetch(h.channels.whatsapp.signedRequest(body))).status;

    expect(await deliver()).toBe(500);
    // The claim could not be given back: until it runs out, a retry is taken for a duplicate.
    expect(await deliver()).toBe(200);
    clock.advance(PROVISIONAL_CLAIM_MS + 1);
    expect(await deliver()).toBe(200);
    // Recorded now, so the claim holds for the full window.
    clock.advance(PROVISIONAL_CLAIM_MS + 1);
    expect(await deliver()).toBe(200);
    await h.threadline.idle();

    expect(h.turns.map((turn) => turn.message.text)).toEqual(['keep me']);
    const identity = await store.identities.get({ channel: 'whatsapp', address: ANN });
    const thread = await h.threadline.users.get(identity?.userId as string).thread();
    expect(thread.map((entry) => entry.text)).toEqual(['keep me']);
  });
});
