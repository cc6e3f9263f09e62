import {
  checkFailedAttempt,
  DEAD_LETTER_PAGE,
  type DeadLetter,
  type DeadLetterStore,
  type JsonObject,
  pageSize,
} from '@threadline/core';
import type { Database } from './database';
import { type Row, timeParam, toDate, toNumber } from './rows';

/** An `inbound_failures` row that reached the limit as a DeadLetter. */
function toDeadLetter(row: Row): DeadLetter {
  return {
    adapterId: String(row.adapter_id),
    providerMessageId: String(row.provider_message_id),
    channel: String(row.channel),
    attempts: toNumber(row.attempts),
    firstFailedAt: toDate(row.first_failed_at),
    deadAt: toDate(row.dead_at),
    error: JSON.parse(String(row.error)) as DeadLetter['error'],
    message: JSON.parse(String(row.message)) as JsonObject,
  };
}

/**
 * Failed attempts and dead letters in `inbound_failures`: `recordFailure` is one upsert, so
 * concurrent failures of one message each count once (they queue on the primary key), and the
 * attempt that reaches the limit writes the dead letter in the same statement.
 *
 * @example
 * ```ts
 * const { deadLetter } = await store.deadLetters.recordFailure({ ...attempt, maxAttempts: 5 });
 * ```
 */
export function createDeadLetterStore(db: Database): DeadLetterStore {
  const n = db.names;
  return {
    async recordFailure(input) {
      checkFailedAttempt(input);
      // Text, not jsonb: the message of a poison webhook may hold a NUL escape jsonb refuses.
      const error = JSON.stringify(input.error);
      const message = JSON.stringify(input.message);
      const [row] = await db.query(
        'deadLetters.recordFailure',
        `INSERT INTO ${n.inboundFailures} AS f (adapter_id, provider_message_id, channel, attempts,
           first_failed_at, dead_at, error, message)
         VALUES ($1, $2, $3, 1, $4, CASE WHEN $5::int <= 1 THEN $4::timestamptz END,
           CASE WHEN $5::int <= 1 THEN $6 END, CASE WHEN $5::int <= 1 THEN $7 END)
         ON CONFLICT (adapter_id, provider_message_id) DO UPDATE SET
           attempts = f.attempts + 1,
           dead_at = CASE WHEN f.dead_at IS NULL AND f.attempts + 1 >= $5::int
             THEN excluded.first_failed_at ELSE f.dead_at END,
           error = CASE WHEN f.dead_at IS NULL THEN $6 ELSE f.error END,
           message = CASE WHEN f.dead_at IS NULL THEN $7 ELSE f.message END
         RETURNING *`,
        [
          input.adapterId,
          input.providerMessageId,
          input.channel,
          timeParam(input.at),
          input.maxAttempts,
          error,
          message,
        ],
      );
      const counted = row as Row;
      return {
        attempts: toNumber(counted.attempts),
        deadLetter: counted.dead_at === null ? null : toDeadLetter(counted),
      };
    },

    async get({ adapterId, providerMessageId }) {
      const [row] = await db.query(
        'deadLetters.get',
        `SELECT * FROM ${n.inboundFailures}
         WHERE adapter_id = $1 AND provider_message_id = $2 AND dead_at IS NOT NULL`,
        [adapterId, providerMessageId],
      );
      return row === undefined ? null : toDeadLetter(row);
    },

    async list(options = {}) {
      const limit = pageSize(options.limit, { ...DEAD_LETTER_PAGE, path: 'limit' });
      const rows = await db.query(
        'deadLetters.list',
        `SELECT * FROM ${n.inboundFailures}
         WHERE dead_at IS NOT NULL AND ($1::timestamptz IS NULL OR dead_at >= $1)
         ORDER BY dead_at DESC, adapter_id, provider_message_id LIMIT $2`,
        [timeParam(options.since), limit],
      );
      return rows.map(toDeadLetter);
    },
  };
}
