import {
  type BatchOutcome,
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

/** PostgreSQL cannot hold NUL in text: one such input would fail the whole batch's statement. */
const hasNul = (input: SendRecipientInput) =>
  input.channel.includes('\u0000') ||
  input.address.includes('\u0000') ||
  input.agentId.includes('\u0000');

function toRecipient(row: Row): SendRecipient {
  return {
    identity: toIdentity(row.identity as Row),
    optedOut: row.opted_out === true,
    thread: row.thread === null ? null : toThread(row.thread as Row),
  };
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * A send's recipient, consent and thread in one statement for a known address; a first contact
 * (with `create`) resolves the identity first (`identities.resolve`, with its lock) and reads
 * again. `recipientMany` reads a whole batch of known addresses in one statement (the inputs as
 * arrays, `unnest`ed with their position), then resolves its first contacts as `recipient` does.
 * `consent` is matched by address, not by user: an opt-out outlives an erased user.
 *
 * @example
 * ```ts
 * const found = await store.outbound.recipient({ channel: 'whatsapp', address: '+447700900123',
 *   agentId: 'support', create: { kind: 'phone' } });
 * ```
 */
export function createOutboundLookup(db: Database, identities: IdentityStore): OutboundLookup {
  const n = db.names;
  /** The identity `i`'s consent and thread, for the address and agent given as SQL expressions. */
  const reads = (address: {
    channel: string;
    address: string;
    agentId: string;
  }) => `to_jsonb(i) AS identity,
      EXISTS (SELECT 1 FROM ${n.consent} c WHERE c.channel = ${address.channel}
        AND c.address = ${address.address} AND c.status = 'opted-out') AS opted_out,
      (SELECT to_jsonb(t) FROM ${n.threads} t
        WHERE t.user_id = i.user_id AND t.agent_id = ${address.agentId}) AS thread`;
  const sql = `SELECT ${reads({ channel: '$1', address: '$2', agentId: '$3' })}
    FROM ${n.identities} i WHERE i.channel = $1 AND i.address = $2`;
  const manySql = `SELECT q.n, ${reads({ channel: 'q.channel', address: 'q.address', agentId: 'q.agent_id' })}
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(channel, address, agent_id, n)
    JOIN ${n.identities} i ON i.channel = q.channel AND i.address = q.address`;

  async function read(input: SendRecipientInput): Promise<SendRecipient | null> {
    const [row] = await db.query('outbound.recipient', sql, [
      input.channel,
      input.address,
      input.agentId,
    ]);
    return row === undefined ? null : toRecipient(row);
  }

  /** A first contact: resolves the identity (creating it), then reads it as a known address. */
  async function create(
    input: SendRecipientInput & Required<Pick<SendRecipientInput, 'create'>>,
  ): Promise<SendRecipient> {
    const { channel, address } = input;
    await identities.resolve({ channel, address, kind: input.create.kind });
    const created = await read(input);
    if (created !== null) return created;
    // Erased between our resolve and our read: rare enough that the caller simply retries.
    throw new StoreError('Postgres store: outbound.recipient lost a race with an erasure', {
      code: 'store_conflict',
      retryable: true,
    });
  }

  return {
    async recipient(input) {
      const found = await read(input);
      if (found !== null || input.create === undefined) return found;
      return create({ ...input, create: input.create });
    },

    async recipientMany(inputs) {
      // Positions in the statement's arrays; an input it cannot carry fails alone.
      const queried = inputs.flatMap((input, index) => (hasNul(input) ? [] : [index]));
      const rows =
        queried.length === 0
          ? []
          : await db.query('outbound.recipientMany', manySql, [
              queried.map((index) => inputs[index]?.channel),
              queried.map((index) => inputs[index]?.address),
              queried.map((index) => inputs[index]?.agentId),
            ]);
      const found = new Map<number, SendRecipient>();
      for (const row of rows) found.set(queried[Number(row.n) - 1] as number, toRecipient(row));
      return Promise.all(
        inputs.map(async (input, index): Promise<BatchOutcome<SendRecipient | null>> => {
          if (hasNul(input)) {
            return {
              ok: false,
              error: new StoreError('Postgres store: an address cannot hold a NUL character', {
                code: 'store_failed',
              }),
            };
          }
          const hit = found.get(index);
          if (hit !== undefined || input.create === undefined)
            return { ok: true, value: hit ?? null };
          try {
            return { ok: true, value: await create({ ...input, create: input.create }) };
          } catch (error) {
            return { ok: false, error: asError(error) };
          }
        }),
      );
    },
  };
}
