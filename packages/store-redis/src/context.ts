import type { Clock, Logger } from '@threadline/core';
import type { Connection, Reply } from './connection';
import type { Keys } from './keys';

/** What every part of the store shares: the connection, the key names, the clock and the ids. */
export interface RedisContext {
  readonly conn: Connection;
  readonly keys: Keys;
  readonly clock: Clock;
  readonly logger: Logger;
  generateId(): string;
}

/** A hash reply (`HGETALL`'s flat field, value list) as a record; `null` when it is empty. */
export function toRecord(reply: Reply): Record<string, string> | null {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < reply.length; index += 2) {
    record[String(reply[index])] = String(reply[index + 1]);
  }
  return record;
}

/** A list reply's strings. */
export function toStrings(reply: Reply): string[] {
  return Array.isArray(reply) ? reply.map(String) : [];
}

/** A time as it is stored: milliseconds since the epoch, as text. */
export function ms(date: Date): string {
  return String(date.getTime());
}

/** A stored time (milliseconds as text) as a Date. */
export function toDate(stored: string): Date {
  return new Date(Number(stored));
}

/** Sets `target[name]` only when `value` is present: absent fields stay absent, not `undefined`. */
export function setIf<T extends object, K extends keyof T>(
  target: T,
  name: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[name] = value;
}

/** Zero-padded, so members that start with it sort in creation order. */
export function ordinal(counter: number): string {
  return String(counter).padStart(16, '0');
}
