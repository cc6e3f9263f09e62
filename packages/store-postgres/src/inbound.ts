import { checkInboundRecord, type InboundLog, type InboundRecordResult } from '@threadline/core';
import type { Database } from './database';
import { hasSqlState } from './errors';
import { firstContactLock, RESOLVE_ATTEMPTS, RESOLVE_LOCK_CLASS, toIdentity } from './identities';
import { jsonParam, type Row, timeParam } from './rows';
import { toEntry, toThread } from './threads';
import { toUser } from './users';

/** The `record_inbound` result (jsonb, parsed by the driver) as the contract's result. */
function toResult(result: Row): InboundRecordResult {
  if (result.duplicate === true) return { duplicate: true };
  return {
    duplicate: false,
    identity: toIdentity(result.identity as Row),
    user: toUser(result.user as Row),
    created: result.created === true,
    userCreated: result.user_created === true,
    thread: toThread(result.thread as Row),
    entry: toEntry(result.entry as Row),
    hasHeld: result.has_held === true,
  };
}

/**
 * `inbound.record` as one call of the `record_inbound` function (migration 003): one round trip,
 * one transaction, for a returning sender and a first contact alike. Serialising the input is
 * done before the call, so a value that cannot be sent fails with nothing written; any error in
 * the database rolls the whole call back, the claim included.
 *
 * @example
 * ```ts
 * const result = await store.inbound.record({ claimKey, claimTtlMs, sender, adapterId, agentId, entry });
 * ```
 */
export function createInboundLog(db: Database): InboundLog {
  const n = db.names;
  return {
    async record(input) {
      checkInboundRecord(input);
      const { sender, entry } = input;
      const { contact, lockKey } = firstContactLock(sender);
      const values = [
        jsonParam(input.reference, 'reference'),
        input.agentId,
        timeParam(entry.at),
        entry.text,
        entry.channel ?? null,
        entry.adapterId ?? null,
        entry.deliveryId ?? null,
        entry.providerMessageId ?? null,
        jsonParam(entry.parts, 'entry.parts'),
        jsonParam(entry.media, 'entry.media'),
        jsonParam(entry.metadata, 'entry.metadata'),
      ];
      for (let attempt = 1; ; attempt += 1) {
        const now = db.now();
        try {
          const [row] = await db.query<{ result: Row }>(
            'inbound.record',
            `SELECT ${n.recordInbound}(${Array.from({ length: 25 }, (_, i) => `$${i + 1}`).join(', ')}) AS result`,
            [
              input.claimKey,
              timeParam(new Date(now.getTime() + input.claimTtlMs)),
              timeParam(now),
              sender.channel,
              sender.address,
              sender.kind,
              sender.displayName ?? null,
              contact?.kind ?? null,
              contact?.value ?? null,
              RESOLVE_LOCK_CLASS,
              lockKey,
              db.generateId(),
              db.generateId(),
              input.adapterId,
              ...values,
            ],
          );
          return toResult((row as { result: Row }).result);
        } catch (error) {
          // A unique key lost to a writer that takes no lock (users.create, identities.link):
          // everything was rolled back; the next call finds what the winner wrote.
          if (!hasSqlState(error, '23505') || attempt >= RESOLVE_ATTEMPTS) throw error;
        }
      }
    },
  };
}
