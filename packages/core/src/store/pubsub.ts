import type { JsonValue } from '../message/json';

/**
 * Stops a subscription. Calling it again does nothing, and it is safe while a message to the
 * subscription is on its way (that message may still arrive, best effort).
 */
export type Unsubscribe = () => Promise<void>;

/**
 * Cross-instance fan-out (Redis pub/sub, Postgres LISTEN/NOTIFY, in-process for the memory store):
 * a send handled by instance B reaches a web chat socket held by instance A. Best effort: a
 * subscriber that is down misses messages, and readers catch up from the thread. Messages on one
 * topic arrive in publish order; a subscriber that throws affects neither the publisher nor the
 * other subscribers.
 */
export interface PubSub {
  publish(topic: string, message: JsonValue): Promise<void>;
  subscribe(topic: string, handler: (message: JsonValue) => void): Promise<Unsubscribe>;
}
