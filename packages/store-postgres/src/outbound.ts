import {
  type IdentityStore,
  type OutboundLookup,
  type SendRecipient,
  type SendRecipientInput,
  StoreError,
} from '@threadline/core';
import type { Database } from './database';
import { toIdentity } from './identities';
import type { Row } from './rows';
import { toThread } from './threads';

/**
 * A send's recipient, consent and thread in one statement for a known address; a first contact
 * (with `create`) resolves the identity first (`identities.resolve`, with its lock) and reads
 * again. `consent` is matched by address, not by user: an opt-out outlives an erased user.
 *
 * @example
 * ```ts
 * const found = await store.outbound.recipient({ channel: 'whatsapp', address: '+447700900123',
 *   agentId: 'support', create: { kind: 'phone' } });
 * ```
 */
export function createOutboundLookup(db: Database, identities: IdentityStore): OutboundLookup {
  const n = db.names;
  const sql = `SELECT to_jsonb(i) AS identity,
      EXISTS (SELECT 1 FROM ${n.consent} c
        WHERE c.channel = $1 AND c.address = $2 AND c.status = 'opted-out') AS opted_out,
      (SELECT to_jsonb(t) FROM ${n.threads} t WHERE t.user_id = i.user_id AND t.agent_id = $3) AS thread
    FROM ${n.identities} i WHERE i.channel = $1 AND i.address = $2`;

  async function read(input: SendRecipientInput): Promise<SendRecipient | null> {
    const [row] = await db.query('outbound.recipient', sql, [
      input.channel,
      input.address,
      input.agentId,
    ]);
    if (row === undefined) return null;
    return {
      identity: toIdentity(row.identity as Row),
      optedOut: row.opted_out === true,
      thread: row.thread === null ? null : toThread(row.thread as Row),
    };
  }

  return {
    async recipient(input) {
      const found = await read(input);
      if (found !== null || input.create === undefined) return found;
      const { channel, address } = input;
      await identities.resolve({ channel, address, kind: input.create.kind });
      const created = await read(input);
      if (created !== null) return created;
      // Erased between our resolve and our read: rare enough that the caller simply retries.
      throw new StoreError('Postgres store: outbound.recipient lost a race with an erasure', {
        code: 'store_conflict',
        retryable: true,
      });
    },
  };
}
