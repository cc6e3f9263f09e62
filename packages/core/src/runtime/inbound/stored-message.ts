import type { InboundMessage, Location } from '../../message/inbound';
import type { JsonObject, JsonValue } from '../../message/json';
import type { ThreadEntry } from '../../store/threads';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLocation(value: JsonValue | undefined): value is JsonObject & Location {
  return (
    isObject(value) && typeof value.latitude === 'number' && typeof value.longitude === 'number'
  );
}

/**
 * The inbound message an entry was recorded from (see `inboundRecordInput`, which stores the
 * extras under `metadata`), for a turn another instance takes over: it has the entry, not the
 * webhook. Extras cut by `boundJson` stay cut; the sender is the stored address.
 */
export function messageFromEntry(entry: ThreadEntry, address: string): InboundMessage {
  const stored = entry.metadata ?? {};
  const { payload, replyTo, subject, location, contacts, extra } = stored;
  return {
    providerMessageId: entry.providerMessageId ?? '',
    from: { address },
    timestamp: entry.at,
    text: entry.text,
    ...(entry.media === undefined ? {} : { media: entry.media }),
    ...(typeof payload === 'string' ? { payload } : {}),
    ...(typeof replyTo === 'string' ? { replyTo } : {}),
    ...(typeof subject === 'string' ? { subject } : {}),
    ...(isLocation(location) ? { location } : {}),
    ...(Array.isArray(contacts) ? { contacts } : {}),
    ...(isObject(extra) ? { metadata: extra } : {}),
  };
}
