import {
  checkDuration,
  checkInboundRecord,
  type IdentityStore,
  type InboundLog,
  type InboundRecordInput,
  type InboundRecordResult,
  StoreError,
  type Thread,
} from '@threadline/core';
import type { Reply } from './connection';
import type { RedisContext } from './context';
import { CLAIM, RELEASE_OWN } from './dedupe';
import { toIdentity } from './identity-records';
import { claimsKey } from './inbound-claims';
import { APPEND_ONCE, RECORD_INBOUND } from './inbound-scripts';
import { decodeEntry, encodeEntry, toThread } from './threads';
import { bindRecordedTurn, dropIntent, type TurnIntent, writeIntent } from './turn-intents';
import { toUser, userKeys } from './users';

/** How often a record starts over when the directory changed under it (a link, merge, erasure). */
const RECORD_ATTEMPTS = 5;

/** The entry and reference as sent, serialised before anything is written. */
interface Encoded {
  entry: string;
  /** '' when not given. */
  reference: string;
  /** The id of this call's turn intent; '' when no turn was asked for. */
  turn: string;
}

/** What the caller knows about the sender's user before the user-slot script. */
interface Owner {
  userId: string;
  created: boolean;
  userCreated: boolean;
}

/** The hash tag a thread id starts with (`{u:<userId>}`): the slot of its keys. */
function tagOf(threadId: string): string {
  return threadId.slice(0, threadId.indexOf('}') + 1);
}

function failed(detail: string): StoreError {
  return new StoreError(`Redis store: inbound.record ${detail}; try again`, {
    code: 'store_unavailable',
    retryable: true,
  });
}

/**
 * `inbound.record`: for a returning sender, the address lookup (sent together with the global
 * dedupe claim) and then one script in the user's slot that claims, touches, ensures, appends and
 * answers `hasHeld`, all or nothing. A first contact resolves the sender first with
 * `identities.resolve` (safe under concurrent first contacts). See the README, "Recording an
 * inbound message", for why there are two claim keys and how they agree.
 *
 * With `input.turn`, the turn is made in three steps across two slots (`turn-intents.ts`): an
 * intent written with the first round trip, the record (which notes the intent's id beside the
 * claim), and a bind; `result.turn` is the turn. A crash between any two loses no turn.
 *
 * @example
 * ```ts
 * const result = await store.inbound.record({ claimKey, claimTtlMs, sender, adapterId, agentId, entry });
 * if (!result.duplicate && result.hasHeld) await store.held.release({ userId: result.user.id, channel });
 * ```
 */
export function createInboundLog(ctx: RedisContext, identities: IdentityStore): InboundLog {
  const { keys } = ctx;

  async function resolveOwner(input: InboundRecordInput): Promise<Owner> {
    const { sender } = input;
    const resolved = await identities.resolve(
      sender.displayName === undefined
        ? { channel: sender.channel, address: sender.address, kind: sender.kind }
        : sender,
    );
    return {
      userId: resolved.user.id,
      created: resolved.created,
      userCreated: resolved.userCreated,
    };
  }

  /** The user-slot script; `appended` is the entry already written in a merged thread's slot. */
  function runRecord(
    input: InboundRecordInput,
    userId: string,
    now: number,
    encoded: Encoded,
    appended: { seq: number; thread: Thread } | null,
  ): Promise<Reply> {
    const threadId = `${keys.userTag(userId)}${ctx.generateId()}`;
    const { sender } = input;
    return ctx.conn.run(
      'inbound.record',
      RECORD_INBOUND,
      [
        claimsKey(ctx, userId),
        keys.identity(userId, sender.channel, sender.address),
        ...userKeys(ctx, userId),
        keys.threadByAgent(userId),
        keys.threadList(userId),
        keys.thread(threadId),
        keys.entries(threadId),
        keys.held(userId),
      ],
      [
        String(now),
        String(Math.ceil(input.claimTtlMs)),
        String(input.entry.at.getTime()),
        input.adapterId,
        encoded.reference,
        input.agentId,
        threadId,
        keys.userTag(userId),
        keys.prefix,
        encoded.entry,
        sender.channel,
        appended === null ? '' : String(appended.seq),
        input.claimKey,
        encoded.turn,
        appended === null ? '' : appended.thread.id,
      ],
    );
  }

  /** Appends in a merged thread's own slot, once per claim key. */
  async function appendInMovedThread(
    input: InboundRecordInput,
    threadId: string,
    now: number,
    stored: string,
  ): Promise<{ seq: number; thread: Thread; stored: string }> {
    const reply = await ctx.conn.run(
      'inbound.record',
      APPEND_ONCE,
      [
        keys.thread(threadId),
        keys.entries(threadId),
        `${keys.prefix}${tagOf(threadId)}:appended:${input.claimKey}`,
      ],
      [String(now), String(Math.ceil(input.claimTtlMs)), stored],
    );
    const thread = Array.isArray(reply) ? toThread(reply[1] ?? null) : null;
    if (!Array.isArray(reply) || thread === null) throw failed(`found thread ${threadId} closed`);
    return { seq: Number(reply[0]), thread, stored: String(reply[2]) };
  }

  async function recordIn(
    input: InboundRecordInput,
    first: Owner | null,
    now: number,
    encoded: Encoded,
  ): Promise<InboundRecordResult> {
    let owner = first;
    for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt += 1) {
      owner ??= await resolveOwner(input);
      let reply = await runRecord(input, owner.userId, now, encoded, null);
      let moved: { seq: number; thread: Thread; stored: string } | null = null;
      if (Array.isArray(reply) && reply[0] === 'moved') {
        moved = await appendInMovedThread(input, String(reply[1]), now, encoded.entry);
        reply = await runRecord(input, owner.userId, now, encoded, moved);
      }
      if (!Array.isArray(reply)) throw failed('got no answer');
      const [status] = reply;
      if (status === 'dup') return { duplicate: true };
      if (status === 'closed') throw failed('found the thread closed');
      if (status === 'ok') {
        const identity = toIdentity(reply[1] ?? null);
        const user = toUser(reply[2] ?? null);
        const thread = moved?.thread ?? toThread(reply[3] ?? null);
        if (identity === null || user === null || thread === null)
          throw failed('read back nothing');
        const seq = Number(reply[4]);
        return {
          duplicate: false,
          identity,
          user,
          created: owner.created,
          userCreated: owner.userCreated,
          thread,
          entry: decodeEntry(thread.id, seq, moved?.stored ?? encoded.entry),
          hasHeld: reply[5] === 1,
        };
      }
      // 'noidentity': the directory named a user who no longer has this address; resolve again.
      owner = null;
    }
    throw failed(
      `kept losing ${input.sender.channel}:${input.sender.address} to concurrent writers`,
    );
  }

  return {
    async record(input) {
      checkInboundRecord(input);
      if (input.turn !== undefined) checkDuration(input.turn.leaseMs, 'turn.leaseMs', 'lease');
      const now = ctx.clock.now();
      // One id for this call: the token of its global claim and the id of its turn (intent).
      const callId = ctx.generateId();
      // Serialised before anything is sent: a value JSON refuses fails with nothing written.
      const encoded: Encoded = {
        entry: encodeEntry(input.entry),
        reference: input.reference === undefined ? '' : JSON.stringify(input.reference),
        turn: input.turn === undefined ? '' : callId,
      };
      const intent: TurnIntent | null =
        input.turn === undefined
          ? null
          : {
              id: callId,
              claimKey: input.claimKey,
              adapterId: input.adapterId,
              channel: input.sender.channel,
              address: input.sender.address,
              owner: input.turn.owner,
              expiresAt: now + Math.ceil(input.turn.leaseMs),
              createdAt: now,
            };
      const dropTurn = async () => {
        if (intent !== null) {
          await dropIntent(ctx, 'inbound.record', intent.id, intent.owner).catch(() => undefined);
        }
      };
      const ttl = String(Math.ceil(input.claimTtlMs));
      const claimValue = `${now + Math.ceil(input.claimTtlMs)}:i:${callId}`;
      const globalKey = keys.dedupe(input.claimKey);
      // One round trip: the address lookup, the claim in the key space `dedupe.claim` uses, and
      // the turn intent, which is written before the record script runs (step 1).
      const [known, claimed] = await Promise.all([
        ctx.conn.command('inbound.record', [
          'GET',
          keys.address(input.sender.channel, input.sender.address),
        ]),
        ctx.conn.run('inbound.record', CLAIM, [globalKey], [String(now), ttl, claimValue]),
        intent === null ? undefined : writeIntent(ctx, intent),
      ]);
      // Live, taken by dedupe.claim (the per-part path): a duplicate. Taken by another
      // inbound.record (2): the claim in the user's slot decides, atomically with the append.
      if (claimed === 0) {
        await dropTurn();
        return { duplicate: true };
      }
      const owner =
        typeof known === 'string' ? { userId: known, created: false, userCreated: false } : null;
      let result: InboundRecordResult;
      try {
        result = await recordIn(input, owner, now, encoded);
      } catch (error) {
        // Nothing was recorded (or, if the reply was lost after a commit, the user-slot claim
        // still answers retries): give back the global claim so the provider's retry records.
        // The intent stays: `claimDue` drops it, or binds it if the record did commit.
        if (claimed === 1) {
          await ctx.conn
            .run('inbound.record', RELEASE_OWN, [globalKey], [claimValue])
            .catch(() => undefined);
        }
        throw error;
      }
      if (result.duplicate) {
        await dropTurn();
        return result;
      }
      return intent === null
        ? result
        : { ...result, turn: await bindRecordedTurn(ctx, intent, result, now) };
    },
  };
}
