import type { InboundEvent, InboundMessage } from '@threadline/core';
import type { TestTimestamp, TestWebhookEvent } from './webhook-body';

/** Where normalised events come from: the adapter's identity and its clock. */
export interface EventOrigin {
  adapterId: string;
  channel: string;
  /** Supplies timestamps the payload leaves out. */
  now(): number;
}

const toDate = (value: TestTimestamp | undefined, origin: EventOrigin): Date =>
  new Date(value ?? origin.now());

/** Writes optional fields only when present, so `toEqual` in tests sees no `undefined` keys. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * Turns one event of the test webhook format into the core's normalised {@link InboundEvent}.
 *
 * @example
 * ```ts
 * toInboundEvent({ type: 'message', id: 'in-1', from: '+15550001', text: 'hi' }, { adapterId: 'test', channel: 'test', now: Date.now });
 * // { type: 'message', adapterId: 'test', channel: 'test', message: { providerMessageId: 'in-1', from: { address: '+15550001' }, text: 'hi', timestamp } }
 * ```
 */
export function toInboundEvent(event: TestWebhookEvent, origin: EventOrigin): InboundEvent {
  const base = { adapterId: origin.adapterId, channel: origin.channel };
  switch (event.type) {
    case 'message': {
      const message: InboundMessage = {
        providerMessageId: event.id,
        from: { address: event.from, ...defined({ displayName: event.name }) },
        timestamp: toDate(event.timestamp, origin),
        text: event.text,
        ...defined({ payload: event.payload, replyTo: event.replyTo }),
      };
      return { ...base, type: 'message', message };
    }
    case 'status':
      return {
        ...base,
        type: 'status',
        providerMessageId: event.id,
        status: event.status,
        timestamp: toDate(event.timestamp, origin),
        ...defined({
          address: event.to,
          error: event.error && {
            category: event.error.category,
            ...defined({ providerCode: event.error.code, title: event.error.title }),
          },
        }),
      };
    case 'opt-out':
    case 'opt-in':
      return {
        ...base,
        type: event.type,
        from: { address: event.from },
        timestamp: toDate(event.timestamp, origin),
        ...defined({ keyword: event.keyword, providerMessageId: event.id }),
      };
    case 'reaction':
      return {
        ...base,
        type: 'reaction',
        from: { address: event.from },
        providerMessageId: event.id,
        targetMessageId: event.messageId,
        emoji: event.emoji,
        timestamp: toDate(event.timestamp, origin),
      };
  }
}
