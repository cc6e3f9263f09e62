import type { PendingTurn, ThreadEntry, TurnStore, User } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { MINUTE, newPendingTurn, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** The core's default turn lease. */
const LEASE = MINUTE;

/**
 * Pending turns under `privacy` and `users.merge`: a turn holds a user's id and address, so
 * erasure deletes it, export lists it, and a merge hands it to the surviving user still naming
 * its message. Registered only when the suite checks `turns`.
 */
export function describePrivacyTurns(h: StoreHarness): void {
  describe('pending turns under erasure, export and merge', () => {
    function turns(): TurnStore {
      const part = h.store.turns;
      if (part === undefined) throw new Error('store.turns is missing');
      return part;
    }

    /** The WhatsApp address of each sender, by user id (the address a turn replies to). */
    const addresses = new Map<string, string>();

    async function sender(phone: string): Promise<User> {
      const { user } = await h.store.identities.resolve({
        channel: 'whatsapp',
        address: phone,
        kind: 'phone',
      });
      addresses.set(user.id, phone);
      return user;
    }

    /** Appends an inbound message to the user's thread with `agentId` and enqueues its turn. */
    async function received(input: {
      user: User;
      text: string;
      agentId?: string;
      at?: Date;
      /** The user id the turn names, when it is not `user`'s. */
      turnUserId?: string;
    }): Promise<{ entry: ThreadEntry; turn: PendingTurn }> {
      const thread = await h.store.threads.ensure({
        userId: input.user.id,
        agentId: input.agentId ?? 'support',
      });
      const entry = await h.store.threads.append(thread.id, {
        direction: 'inbound',
        at: input.at ?? h.clock.date(),
        text: input.text,
        channel: 'whatsapp',
      });
      const turn = await turns().enqueue(
        newPendingTurn({
          threadId: thread.id,
          seq: entry.seq,
          userId: input.turnUserId ?? input.user.id,
          address: addresses.get(input.user.id) ?? '',
        }),
      );
      if (turn === null) throw new Error('expected the turn to be enqueued');
      return { entry, turn };
    }

    /** Every pending turn, claimed by a probe once every lease has run out. */
    async function due(): Promise<PendingTurn[]> {
      h.clock.advance(LEASE + 1);
      return turns().claimDue({ owner: 'probe', limit: 100, leaseMs: LEASE });
    }

    /** Where a turn points, and the text of the entry there (what a takeover would answer). */
    async function target(turn: PendingTurn): Promise<[string, number, string | undefined]> {
      const [entry] = await h.store.threads.read(turn.threadId, {
        after: turn.seq - 1,
        limit: 1,
      });
      return [turn.threadId, turn.seq, entry?.seq === turn.seq ? entry.text : undefined];
    }

    it('eraseUser deletes the pending turns of the user and of their threads, and counts them', async () => {
      const ann = await sender(PHONE_A);
      const bob = await sender(PHONE_B);
      const first = await received({ user: ann, text: 'one' });
      const second = await received({ user: ann, text: 'two', agentId: 'sales' });
      // In Ann's thread under another user id (as a merge stopped half-way leaves it): the
      // message is Ann's, so the turn goes with her thread.
      const stale = await received({ user: ann, text: 'three', turnUserId: 'merged-away' });
      const kept = await received({ user: bob, text: 'hers' });

      const report = await h.store.privacy.eraseUser(ann.id);

      expect(report).toMatchObject({ userId: ann.id, threads: 2, entries: 3, turns: 3 });
      for (const { turn } of [first, second, stale]) {
        expect(await turns().get(turn.id)).toBeNull();
      }
      const left = await due();
      expect(left.map((turn) => turn.id)).toEqual([kept.turn.id]);
      expect(JSON.stringify(left)).not.toContain(PHONE_A);
    });

    it('exportUser lists the pending turns oldest first, and nobody else’s', async () => {
      const ann = await sender(PHONE_A);
      const bob = await sender(PHONE_B);
      const first = await received({ user: ann, text: 'one' });
      await received({ user: bob, text: 'hers' });
      h.clock.advance(1_000);
      const second = await received({ user: ann, text: 'two', agentId: 'sales' });

      const data = await h.store.privacy.exportUser(ann.id);

      expect(data?.pendingTurns).toEqual([first.turn, second.turn]);
      expect(JSON.stringify(data)).not.toContain(PHONE_B);
      await turns().complete(first.turn.id, 'instance-a');
      expect((await h.store.privacy.exportUser(ann.id))?.pendingTurns).toEqual([second.turn]);
      const carl = await h.store.users.create({});
      expect((await h.store.privacy.exportUser(carl.id))?.pendingTurns).toEqual([]);
    });

    it('exportUser orders turns of one moment by seq, whatever order they were enqueued in', async () => {
      const ann = await sender(PHONE_A);
      const thread = await h.store.threads.ensure({ userId: ann.id, agentId: 'support' });
      const seqs: number[] = [];
      for (const text of ['one', 'two', 'three']) {
        const entry = await h.store.threads.append(thread.id, {
          direction: 'inbound',
          at: h.clock.date(),
          text,
          channel: 'whatsapp',
        });
        seqs.push(entry.seq);
      }
      // Enqueued out of order at one clock time: the export still lists them as claimDue takes them.
      for (const seq of [seqs[1], seqs[2], seqs[0]] as number[]) {
        await turns().enqueue(
          newPendingTurn({ threadId: thread.id, seq, userId: ann.id, address: PHONE_A }),
        );
      }
      const data = await h.store.privacy.exportUser(ann.id);
      expect(data?.pendingTurns?.map((turn) => turn.seq)).toEqual(seqs);
    });

    it('merge gives pending turns to the surviving user, each still naming its message', async () => {
      const into = await sender(PHONE_A);
      const from = await sender(PHONE_B);
      const t0 = h.clock.now();
      const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
      // Merged in time order: one, two, three, four; "three" moves from seq 2 to 3 in its own thread.
      const one = await received({ user: into, text: 'one', at: at(1) });
      const two = await received({ user: from, text: 'two', at: at(2) });
      const three = await received({ user: into, text: 'three', at: at(3) });
      const four = await received({ user: from, text: 'four', at: at(4) });
      const sales = await received({ user: from, text: 'sales question', agentId: 'sales' });

      await h.store.users.merge({ into: into.id, from: from.id });

      // The instance running a turn keeps its lease through the merge.
      expect(await turns().renew(two.turn.id, { owner: 'instance-a', leaseMs: LEASE })).toBe(true);
      const claimed = new Map((await due()).map((turn) => [turn.id, turn]));
      expect(claimed.size).toBe(5);
      const kept = one.entry.threadId;
      const expected: Array<[{ turn: PendingTurn }, [string, number, string]]> = [
        [one, [kept, 1, 'one']],
        [two, [kept, 2, 'two']],
        [three, [kept, 3, 'three']],
        [four, [kept, 4, 'four']],
        [sales, [sales.entry.threadId, 1, 'sales question']],
      ];
      for (const [{ turn }, place] of expected) {
        const moved = claimed.get(turn.id);
        if (moved === undefined) throw new Error(`turn ${turn.id} was lost in the merge`);
        expect(await target(moved)).toEqual(place);
        expect(moved).toMatchObject({ userId: into.id, address: turn.address, attempts: 2 });
      }
      // The message keys moved too: a renumbered message's turn is not enqueued twice, and the
      // merged thread's next message gets a turn of its own.
      const { userId, adapterId, channel, address } = four.turn;
      const again = { threadId: kept, seq: 4, userId, adapterId, channel, address };
      expect(await turns().enqueue({ ...again, owner: 'instance-b', leaseMs: LEASE })).toBeNull();
      const five = await received({ user: into, text: 'five' });
      expect([five.entry.threadId, five.entry.seq, five.turn.seq]).toEqual([kept, 5, 5]);
      expect((await h.store.privacy.exportUser(into.id))?.pendingTurns).toHaveLength(6);
    });
  });
}
