import type {
  Clock,
  Delivery,
  DeliveryEvent,
  Identity,
  IdentityKind,
  JsonObject,
  JsonValue,
  Thread,
  ThreadEntry,
} from '@threadline/core';
import type { Database, Row } from './database';

/** What every part of the store shares: the database, the clock and the id generator. */
export interface StoreContext {
  db: Database;
  clock: Clock;
  newId(): string;
}

// Column readers. SQLite hands back `null` for an absent value; the contract's objects leave
// absent optional fields out rather than set them to `undefined` or `null`.

export function text(row: Row, column: string): string {
  return row[column] as string;
}

export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : (value as string);
}

export function date(row: Row, column: string): Date {
  return new Date(row[column] as number);
}

export function optionalDate(row: Row, column: string): Date | null {
  const value = row[column];
  return value === null || value === undefined ? null : new Date(value as number);
}

export function json<T = JsonValue>(row: Row, column: string): T | undefined {
  const value = row[column];
  return value === null || value === undefined ? undefined : (JSON.parse(value as string) as T);
}

/** A JSON column value, or `null` for an absent one. */
export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Sets `target[key]` only when `value` is present, so absent fields stay absent. */
export function put<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

export function toIdentity(row: Row): Identity {
  const identity: Identity = {
    channel: text(row, 'channel'),
    address: text(row, 'address'),
    kind: text(row, 'kind') as IdentityKind,
    userId: text(row, 'user_id'),
    createdAt: date(row, 'created_at'),
  };
  put(identity, 'lastInboundAt', optionalDate(row, 'last_inbound_at') ?? undefined);
  put(identity, 'lastAdapterId', optionalText(row, 'last_adapter_id'));
  // A withdrawn reference is stored as JSON `null` and read back as absent.
  put(identity, 'reference', json(row, 'reference') ?? undefined);
  return identity;
}

export function toThread(row: Row): Thread {
  return {
    id: text(row, 'id'),
    userId: text(row, 'user_id'),
    agentId: text(row, 'agent_id'),
    createdAt: date(row, 'created_at'),
  };
}

export function toEntry(row: Row): ThreadEntry {
  const entry: ThreadEntry = {
    threadId: text(row, 'thread_id'),
    seq: row.seq as number,
    direction: text(row, 'direction') as ThreadEntry['direction'],
    at: date(row, 'at'),
    text: text(row, 'text'),
  };
  put(entry, 'channel', optionalText(row, 'channel'));
  put(entry, 'adapterId', optionalText(row, 'adapter_id'));
  put(entry, 'parts', json<ThreadEntry['parts']>(row, 'parts'));
  put(entry, 'media', json<ThreadEntry['media']>(row, 'media'));
  put(entry, 'deliveryId', optionalText(row, 'delivery_id'));
  put(entry, 'providerMessageId', optionalText(row, 'provider_message_id'));
  put(entry, 'metadata', json<JsonObject>(row, 'metadata'));
  return entry;
}

/** Delivery events are stored as JSON with ISO dates; this turns `at` back into a Date. */
function toEvents(row: Row): DeliveryEvent[] {
  const stored = json<Array<Omit<DeliveryEvent, 'at'> & { at: string }>>(row, 'events') ?? [];
  return stored.map((event) => ({ ...event, at: new Date(event.at) }));
}

export function toDelivery(row: Row): Delivery {
  const leaseOwner = optionalText(row, 'lease_owner');
  const delivery: Delivery = {
    id: text(row, 'id'),
    channel: text(row, 'channel'),
    adapterId: text(row, 'adapter_id'),
    recipient: text(row, 'recipient'),
    payload: json<JsonObject>(row, 'payload') ?? {},
    origin: text(row, 'origin') as Delivery['origin'],
    status: text(row, 'status') as Delivery['status'],
    attempts: row.attempts as number,
    nextAttemptAt: optionalDate(row, 'next_attempt_at'),
    lease:
      leaseOwner === undefined
        ? null
        : { owner: leaseOwner, expiresAt: date(row, 'lease_expires_at') },
    events: toEvents(row),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
  put(delivery, 'agentId', optionalText(row, 'agent_id'));
  put(delivery, 'userId', optionalText(row, 'user_id'));
  put(delivery, 'threadId', optionalText(row, 'thread_id'));
  put(delivery, 'idempotencyKey', optionalText(row, 'idempotency_key'));
  put(delivery, 'templateName', optionalText(row, 'template_name'));
  put(delivery, 'providerMessageId', optionalText(row, 'provider_message_id'));
  put(delivery, 'providerMessageIds', json<string[]>(row, 'provider_message_ids'));
  put(delivery, 'error', json<Delivery['error']>(row, 'error'));
  put(delivery, 'pricing', json<JsonObject>(row, 'pricing'));
  return delivery;
}
