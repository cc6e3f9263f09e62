import type { TurnStore, User } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { MINUTE, newPendingTurn, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/**
 * `users.merge` and the message keys of pending turns, beyond privacy-turns.ts: a turn moved to a
 * new `seq` frees its old one, so the message that now has that `seq` can get a turn of its own
 * (`enqueue` is a no-op only while a turn of that thread and seq is pending). Registered only
 * when the suite checks `turns`.
 */
export function describeMergeTurnKeys(h: StoreHarness): void {
  describe('pending turn keys under merge', () => {
    function turns(): TurnStore {
      const part = h.store.turns;
      if (part === undefined) throw new Error('store.turns is missing');
      return part;
    }

    async function sender(phone: string): Promise<User> {
      const input = { channel: 'whatsapp', address: phone, kind: 'phone' } as const;
      return (await h.store.identities.resolve(input)).user;
    }

    async function append(user: User, text: string, at: Date) {
      const thread = await h.store.threads.ensure({ userId: user.id, agentId: 'support' });
      return h.store.threads.append(thread.id, {
        direction: 'inbound',
        at,
        text,
        channel: 'whatsapp',
      });
    }

    it('a turn renumbered by a merge frees its old seq for the message that has it now', async () => {
      const into = await sender(PHONE_A);
      const from = await sender(PHONE_B);
      const t0 = h.clock.now();
      const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
      // Merged in time order: "one" and "two" from the merged user come first, so "three" moves
      // from seq 1 to seq 3 of the kept thread, and "one" takes seq 1.
      const three = await append(into, 'three', at(3));
      await append(from, 'one', at(1));
      await append(from, 'two', at(2));
      const turn = await turns().enqueue(
        newPendingTurn({ threadId: three.threadId, seq: three.seq, userId: into.id }),
      );
      if (turn === null) throw new Error('expected the turn to be enqueued');

      await h.store.users.merge({ into: into.id, from: from.id });

      expect(await turns().get(turn.id)).toMatchObject({ threadId: three.threadId, seq: 3 });
      const [one] = await h.store.threads.read(three.threadId, { after: 0, limit: 1 });
      expect(one?.text).toBe('one');
      const again = newPendingTurn({ threadId: three.threadId, seq: 1, userId: into.id });
      expect(await turns().enqueue(again)).toMatchObject({ threadId: three.threadId, seq: 1 });
    });
  });
}
