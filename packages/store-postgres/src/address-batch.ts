import type { AddressKey } from '@threadline/core';
import type { Database } from './database';
import type { Row } from './rows';

/** PostgreSQL text cannot hold NUL: no stored address has one, and one such key would fail the statement. */
const storable = (key: AddressKey) =>
  !key.channel.includes('\u0000') && !key.address.includes('\u0000');

/**
 * The rows of a table keyed by `(channel, address)` for several addresses, in one statement: the
 * keys go in as two arrays, `unnest`ed `WITH ORDINALITY` and joined to the table, and each row
 * comes back with its key's position (duplicates included). Answers the rows by the index of
 * their key in `keys`; a key with no row (or one no row can match) has no entry. No keys, no
 * statement.
 *
 * @example
 * ```ts
 * const rows = await rowsByAddress(db, 'identities.getMany', {
 *   table: db.names.identities, select: 't.*', keys: [{ channel: 'sms', address: '+447700900123' }],
 * });
 * rows.get(0); // the identity row of the first key, if there is one
 * ```
 */
export async function rowsByAddress(
  db: Database,
  operation: string,
  input: {
    table: string;
    /** The columns of the table row `t` to answer. */
    select: string;
    /** A further condition on `t`, when only some rows count. */
    where?: string;
    keys: readonly AddressKey[];
  },
): Promise<Map<number, Row>> {
  const positions = input.keys.flatMap((key, index) => (storable(key) ? [index] : []));
  const found = new Map<number, Row>();
  if (positions.length === 0) return found;
  const rows = await db.query(
    operation,
    `SELECT q.n AS key_position, ${input.select}
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(channel, address, n)
     JOIN ${input.table} t ON t.channel = q.channel AND t.address = q.address
     ${input.where === undefined ? '' : `WHERE ${input.where}`}`,
    [
      positions.map((index) => input.keys[index]?.channel),
      positions.map((index) => input.keys[index]?.address),
    ],
  );
  for (const row of rows) found.set(positions[Number(row.key_position) - 1] as number, row);
  return found;
}
