import {
  checkFailedAttempt,
  DEAD_LETTER_PAGE,
  type DeadLetter,
  type DeadLetterError,
  type DeadLetterStore,
  type JsonObject,
  pageSize,
} from '@threadline/core';
import type { Row } from './database';
import { date, json, type StoreContext, text } from './rows';

const LIST_PAGE = { ...DEAD_LETTER_PAGE, path: 'limit' };

function toDeadLetter(row: Row): DeadLetter {
  return {
    adapterId: text(row, 'adapter_id'),
    providerMessageId: text(row, 'provider_message_id'),
    channel: text(row, 'channel'),
    attempts: row.attempts as number,
    firstFailedAt: date(row, 'first_failed_at'),
    deadAt: date(row, 'dead_at'),
    error: json<DeadLetterError>(row, 'error') as DeadLetterError,
    message: json<JsonObject>(row, 'message') ?? {},
  };
}

/**
 * Failed attempts at recording provider messages, counted per (adapter, provider id). The
 * attempt that reaches `maxAttempts` writes the dead letter (its error and message); later
 * attempts only count.
 */
export function createDeadLetterStore(ctx: StoreContext): DeadLetterStore {
  function read(adapterId: string, providerMessageId: string): Row | undefined {
    return ctx.db.get(
      'SELECT * FROM inbound_failures WHERE adapter_id = ? AND provider_message_id = ?',
      [adapterId, providerMessageId],
    );
  }

  return {
    async recordFailure(input) {
      checkFailedAttempt(input);
      return ctx.db.transaction(() => {
        const key = [input.adapterId, input.providerMessageId];
        ctx.db.run(
          `INSERT INTO inbound_failures (adapter_id, provider_message_id, channel, attempts,
             first_failed_at) VALUES (?, ?, ?, 1, ?)
           ON CONFLICT (adapter_id, provider_message_id) DO UPDATE SET attempts = attempts + 1`,
          [...key, input.channel, input.at.getTime()],
        );
        // Written once, by the attempt that reaches the limit.
        ctx.db.run(
          `UPDATE inbound_failures SET dead_at = ?, channel = ?, error = ?, message = ?
           WHERE adapter_id = ? AND provider_message_id = ? AND dead_at IS NULL AND attempts >= ?`,
          [
            input.at.getTime(),
            input.channel,
            JSON.stringify(input.error),
            JSON.stringify(input.message),
            ...key,
            input.maxAttempts,
          ],
        );
        const row = read(input.adapterId, input.providerMessageId) as Row;
        return {
          attempts: row.attempts as number,
          deadLetter: row.dead_at === null ? null : toDeadLetter(row),
        };
      });
    },

    async get({ adapterId, providerMessageId }) {
      const row = read(adapterId, providerMessageId);
      return row === undefined || row.dead_at === null ? null : toDeadLetter(row);
    },

    async list(options = {}) {
      const limit = pageSize(options.limit, LIST_PAGE);
      return ctx.db
        .all(
          `SELECT * FROM inbound_failures WHERE dead_at IS NOT NULL AND dead_at >= ?
           ORDER BY dead_at DESC, rowid DESC LIMIT ?`,
          [options.since?.getTime() ?? Number.MIN_SAFE_INTEGER, limit],
        )
        .map(toDeadLetter);
    },
  };
}
