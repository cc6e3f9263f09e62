import { describe, expect, it } from 'vitest';
import { inbound } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * The `NotFoundError` of an unknown thread: its `code` (`thread_not_found`), `kind` and `id`
 * tell the caller which record is missing, so it can answer without parsing the message.
 */
export function describeThreadErrors(h: StoreHarness): void {
  describe('thread errors', () => {
    const missing = { category: 'not_found', code: 'thread_not_found', kind: 'thread' };

    it('append to an unknown thread fails with thread_not_found naming the thread', async () => {
      await expect(
        h.store.threads.append('no-such-thread', inbound(h.clock.date(), 'hello')),
      ).rejects.toMatchObject({ ...missing, id: 'no-such-thread' });
    });

    it('read of an unknown thread fails with thread_not_found naming the thread', async () => {
      await expect(h.store.threads.read('no-such-thread')).rejects.toMatchObject({
        ...missing,
        id: 'no-such-thread',
      });
    });
  });
}
