import type { JsonValue, PubSub } from '@threadline/core';
import type { Database } from './database';
import type { StopListening } from './driver/driver';
import { timeParam } from './rows';

/**
 * NOTIFY refuses payloads of 8000 bytes or more
 * (https://www.postgresql.org/docs/current/sql-notify.html); leave room for the envelope.
 */
export const MAX_NOTIFY_BYTES = 7_900;

type Handler = (message: JsonValue) => void;

/** What travels in a NOTIFY: the topic, and the message or the id of its overflow row. */
interface Envelope {
  t: string;
  m?: JsonValue;
  r?: number | string;
}

/** The store's pub/sub, plus `close` for the store to stop it. */
export interface PostgresPubSub extends PubSub {
  close(): Promise<void>;
}

/**
 * Cross-instance fan-out over LISTEN/NOTIFY (a send handled by instance B reaches a web chat
 * socket held by instance A). One channel per store carries every topic, so an instance listens
 * once however many topics it subscribes to, and topic names are free of Postgres's identifier
 * rules. A message too large for NOTIFY goes through the `pubsub_overflow` table and the
 * notification carries its id. Notifications are handled one at a time, in arrival order, so
 * messages on a topic reach subscribers in publish order even when one needs a fetch.
 *
 * Best effort, as the contract says: a subscriber that is down (or whose connection is being
 * re-established) misses messages; readers catch up from the thread.
 *
 * @example
 * ```ts
 * const stop = await store.pubsub.subscribe('thread:42', (message) => socket.send(JSON.stringify(message)));
 * await store.pubsub.publish('thread:42', { text: 'hi' });
 * await stop();
 * ```
 */
export function createPostgresPubSub(db: Database): PostgresPubSub {
  const n = db.names;
  const topics = new Map<string, Set<Handler>>();
  let listening: Promise<StopListening> | undefined;
  let queue: Promise<void> = Promise.resolve();

  async function dispatch(text: string): Promise<void> {
    const envelope = JSON.parse(text) as Envelope;
    if (!topics.get(envelope.t)?.size) return;
    let body = JSON.stringify(envelope.m ?? null);
    if (envelope.r !== undefined) {
      const [row] = await db.query(
        'pubsub.receive',
        `SELECT payload FROM ${n.pubsubOverflow} WHERE id = $1`,
        [envelope.r],
      );
      if (row === undefined) return;
      body = String(row.payload);
    }
    for (const handler of [...(topics.get(envelope.t) ?? [])]) {
      // Unsubscribed while this message waited: unsubscribing stops delivery at once.
      if (!topics.get(envelope.t)?.has(handler)) continue;
      try {
        // Each subscriber gets its own copy, as if it had its own connection.
        handler(JSON.parse(body) as JsonValue);
      } catch {
        // A subscriber that throws must affect neither the others nor the connection.
      }
    }
  }

  function onPayload(text: string): void {
    queue = queue.then(() => dispatch(text)).catch(() => undefined);
  }

  function listen(): Promise<StopListening> {
    listening ??= db.listen(n.channel, onPayload).catch((error: unknown) => {
      listening = undefined;
      throw error;
    });
    return listening;
  }

  return {
    async publish(topic, message) {
      const text = JSON.stringify({ t: topic, m: message } satisfies Envelope);
      if (Buffer.byteLength(text) <= MAX_NOTIFY_BYTES) {
        await db.query('pubsub.publish', 'SELECT pg_notify($1, $2)', [n.channel, text]);
        return;
      }
      // The row and the notification commit together, so a subscriber never finds it missing.
      await db.query(
        'pubsub.publish',
        `WITH stored AS (
           INSERT INTO ${n.pubsubOverflow} (payload, created_at) VALUES ($2, $3) RETURNING id)
         SELECT pg_notify($1, json_build_object('t', $4::text, 'r', id)::text) FROM stored`,
        [n.channel, JSON.stringify(message), timeParam(db.now()), topic],
      );
    },

    async subscribe(topic, handler) {
      await listen();
      // Wrapping makes each subscription distinct, even for one handler subscribed twice.
      const subscription: Handler = (message) => handler(message);
      const handlers = topics.get(topic) ?? new Set<Handler>();
      handlers.add(subscription);
      topics.set(topic, handlers);
      return async () => {
        handlers.delete(subscription);
        if (handlers.size === 0 && topics.get(topic) === handlers) topics.delete(topic);
      };
    },

    async close() {
      topics.clear();
      const stop = await listening?.catch(() => undefined);
      listening = undefined;
      await stop?.().catch(() => undefined);
    },
  };
}
