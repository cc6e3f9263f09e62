import type { InboundRecorded, PendingTurn } from '@threadline/core';
import type { Reply } from './connection';
import { type RedisContext, toDate, toRecord } from './context';
import { recordedTurn } from './inbound-claims';
import { BIND_INTENT, DROP_INTENT, WRITE_INTENT } from './turn-scripts';

// Turn intents: how `inbound.record` keeps "a recorded message always has its turn" when the turn
// (`{tn}`) and the entry (`{u:<userId>}`) live in two slots that no one script can join.
//
// 1. Before the record, an intent is written in `{tn}` (with the record's first round trip):
//    the claim key, the sender, the turn id to be, leased to the recorder.
// 2. The record script writes, with the entry, the member `<claimKey>\0<turnId>\0<seq>\0<threadId>`
//    in the user's claims (see `inbound-claims.ts`).
// 3. The recorder binds the intent to (threadId, seq): the intent becomes the turn.
//
// If the recorder dies between any two steps, the intent's lease runs out and `turns.claimDue`
// resolves it (`resolveIntents`): the sender's address names the user, the user's claims say
// whether this very call recorded the message; if so the intent is bound and handed out, if not
// (never recorded, or recorded by another call, which has its own turn) it is dropped, and the
// provider's retry records the message with a new intent.

/** The turn slot's key prefix and the keys every turn script declares. */
export function turnSlot(ctx: RedisContext): { base: string; keys: string[] } {
  const base = `${ctx.keys.prefix}{tn}:`;
  return { base, keys: [`${base}due`, `${base}bymsg`, `${base}intents`] };
}

/** A turn hash as a PendingTurn, or `null`. */
export function toTurn(reply: Reply): PendingTurn | null {
  const record = toRecord(reply);
  if (record === null) return null;
  return {
    id: record.id ?? '',
    threadId: record.thread ?? '',
    seq: Number(record.seq ?? 0),
    userId: record.user ?? '',
    adapterId: record.adapter ?? '',
    channel: record.channel ?? '',
    address: record.address ?? '',
    attempts: Number(record.attempts ?? 0),
    lease: { owner: record.lo ?? '', expiresAt: toDate(record.le ?? '0') },
    createdAt: toDate(record.created ?? '0'),
  };
}

/** What an intent knows before its message is recorded. */
export interface TurnIntent {
  /** The turn's id to be; also the token of the record's global claim. */
  id: string;
  claimKey: string;
  adapterId: string;
  channel: string;
  /** The sender's stored address. */
  address: string;
  owner: string;
  /** Lease expiry, store clock ms. */
  expiresAt: number;
  /** Store clock ms. */
  createdAt: number;
}

/** Step 1: writes the intent, leased to the recorder. */
export async function writeIntent(ctx: RedisContext, intent: TurnIntent): Promise<void> {
  const { base, keys } = turnSlot(ctx);
  await ctx.conn.run('inbound.record', WRITE_INTENT, keys, [
    base,
    intent.id,
    intent.claimKey,
    intent.adapterId,
    intent.channel,
    intent.address,
    intent.owner,
    String(intent.expiresAt),
    String(intent.createdAt),
  ]);
}

/** The message an intent is bound to. */
export interface BoundMessage {
  threadId: string;
  seq: number;
  userId: string;
}

/**
 * Step 3 (`record`), or a resolver's bind (`resolve`): see `BIND_INTENT`. `null` when the
 * message already has a turn or, resolving, the caller no longer holds the intent.
 */
export async function bindIntent(
  ctx: RedisContext,
  input: { intent: TurnIntent; message: BoundMessage; mode: 'record' | 'resolve'; now: number },
): Promise<PendingTurn | null> {
  const { base, keys } = turnSlot(ctx);
  const { intent, message } = input;
  const operation = input.mode === 'record' ? 'inbound.record' : 'turns.claimDue';
  const reply = await ctx.conn.run(operation, BIND_INTENT, keys, [
    base,
    intent.id,
    message.threadId,
    String(message.seq),
    message.userId,
    intent.adapterId,
    intent.channel,
    intent.address,
    intent.owner,
    String(intent.expiresAt),
    String(input.now),
    input.mode,
  ]);
  return toTurn(reply);
}

/** Drops an unbound intent (`owner` '' for whoever holds it): its call recorded nothing. */
export async function dropIntent(
  ctx: RedisContext,
  operation: string,
  id: string,
  owner: string,
): Promise<void> {
  const { base, keys } = turnSlot(ctx);
  await ctx.conn.run(operation, DROP_INTENT, keys, [base, id, owner]);
}

/**
 * The turn `inbound.record` answers when its bind failed (the store went away after the record):
 * the intent under the same id stands for it, so `renew` and `complete` of this id work on the
 * intent, and if the turn never completes `claimDue` binds the intent and runs it again.
 */
export function unboundTurn(intent: TurnIntent, message: BoundMessage): PendingTurn {
  return {
    id: intent.id,
    threadId: message.threadId,
    seq: message.seq,
    userId: message.userId,
    adapterId: intent.adapterId,
    channel: intent.channel,
    address: intent.address,
    attempts: 1,
    lease: { owner: intent.owner, expiresAt: new Date(intent.expiresAt) },
    createdAt: new Date(intent.createdAt),
  };
}

/**
 * Step 3 of `inbound.record` with a turn: binds the intent to the new entry. If the bind fails
 * (the store went away after the record), the message is recorded all the same and its turn is
 * the unbound intent (see {@link unboundTurn}): never a rejection for a message that is stored.
 */
export async function bindRecordedTurn(
  ctx: RedisContext,
  intent: TurnIntent,
  recorded: InboundRecorded,
  now: number,
): Promise<PendingTurn | null> {
  const message = {
    threadId: recorded.thread.id,
    seq: recorded.entry.seq,
    userId: recorded.user.id,
  };
  try {
    return await bindIntent(ctx, { intent, message, mode: 'record', now });
  } catch (error) {
    ctx.logger.warn(
      { error: error instanceof Error ? error.message : String(error), turn: intent.id },
      'redis store: inbound.record could not bind its turn; it is bound after its lease',
    );
    return unboundTurn(intent, message);
  }
}

/** An intent as `CLAIM_DUE` answers it (already leased to the caller). */
function toIntent(reply: Reply): TurnIntent | null {
  const record = toRecord(reply);
  if (record === null || record.id === undefined || record.claim === undefined) return null;
  return {
    id: record.id,
    claimKey: record.claim,
    adapterId: record.adapter ?? '',
    channel: record.channel ?? '',
    address: record.address ?? '',
    owner: record.lo ?? '',
    expiresAt: Number(record.le ?? 0),
    createdAt: Number(record.created ?? 0),
  };
}

/**
 * One intent whose recorder died: binds it to the entry its call recorded and answers the turn,
 * or drops it when that call recorded nothing (the retry makes its own intent).
 */
async function resolveIntent(
  ctx: RedisContext,
  intent: TurnIntent,
  now: number,
): Promise<PendingTurn | null> {
  const op = 'turns.claimDue';
  const userId = await ctx.conn.command(op, [
    'GET',
    ctx.keys.address(intent.channel, intent.address),
  ]);
  const found =
    typeof userId === 'string' ? await recordedTurn(ctx, userId, intent.claimKey) : null;
  if (typeof userId !== 'string' || found === null || found.turnId !== intent.id) {
    await dropIntent(ctx, op, intent.id, intent.owner);
    return null;
  }
  const turn = await bindIntent(ctx, {
    intent,
    message: { threadId: found.threadId, seq: found.seq, userId },
    mode: 'resolve',
    now,
  });
  // Bound by its recorder meanwhile (it came back): the turn is the recorder's.
  return turn !== null && turn.lease.owner === intent.owner ? turn : null;
}

/** Resolves the intents `CLAIM_DUE` leased to the caller (see {@link resolveIntent}). */
export async function resolveIntents(
  ctx: RedisContext,
  reply: Reply,
  now: number,
): Promise<PendingTurn[]> {
  const intents = (Array.isArray(reply) ? reply : [])
    .map(toIntent)
    .filter((intent): intent is TurnIntent => intent !== null);
  const turns = await Promise.all(
    intents.map((intent) =>
      // A failed resolution leaves the intent leased to the caller: it is tried again after that.
      resolveIntent(ctx, intent, now).catch((error: unknown) => {
        ctx.logger.warn(
          { error: error instanceof Error ? error.message : String(error), intent: intent.id },
          'redis store: a turn intent could not be resolved; trying again after its lease',
        );
        return null;
      }),
    ),
  );
  return turns.filter((turn): turn is PendingTurn => turn !== null);
}
