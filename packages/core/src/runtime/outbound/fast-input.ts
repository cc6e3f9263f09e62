import type { z } from 'zod';
import type { ChannelSendInputSchema } from './schemas';

/** What `ChannelSendInputSchema` gives for an input {@link plainTextSend} recognises. */
type ParsedSend = z.output<typeof ChannelSendInputSchema>;

const SEND_KEYS = new Set(['channel', 'to', 'from', 'text']);
const RECIPIENT_KEYS = new Set(['userId', 'phoneNumber', 'email', 'conversationId']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

/**
 * The shape nearly every `channels.send` has, `{ channel, to: { <one key> }, text, from? }` with
 * non-blank text, checked by hand before zod: the schema (a strict object, a refined recipient,
 * a union for the text) was a tenth of a web chat send's CPU while the process was warming up, in
 * a host reaching thousands of users at once (bench B5). It accepts only what the schema accepts
 * and returns what the schema would: new objects with the same keys in the same order. Anything
 * else (media, options, a stream, an unknown key, an `undefined` value, a bad field) is
 * `undefined`, and zod decides and explains as before. `test/runtime/send-fast-input.test.ts`
 * compares the two on generated inputs.
 *
 * @example
 * ```ts
 * plainTextSend({ channel: 'sms', to: { phoneNumber: '+447700900123' }, text: 'Hi' }); // a copy
 * plainTextSend({ channel: 'sms', to: { phoneNumber: '+447700900123' }, text: 'Hi', options: {} }); // undefined
 * ```
 */
export function plainTextSend(raw: unknown): ParsedSend | undefined {
  if (!isPlainObject(raw)) return undefined;
  for (const key in raw) {
    if (!SEND_KEYS.has(key) || raw[key] === undefined) return undefined;
  }
  const { channel, to, from, text } = raw;
  if (!nonEmptyString(channel) || typeof text !== 'string' || text.trim() === '') return undefined;
  if (from !== undefined && !nonEmptyString(from)) return undefined;
  if (!isPlainObject(to)) return undefined;
  let recipientKey: string | undefined;
  for (const key in to) {
    if (recipientKey !== undefined || !RECIPIENT_KEYS.has(key) || !nonEmptyString(to[key])) {
      return undefined;
    }
    recipientKey = key;
  }
  if (recipientKey === undefined) return undefined;
  // The schema's key order (channel, to, from, text), as zod builds its output.
  const parsed = { channel, to: { [recipientKey]: to[recipientKey] } } as ParsedSend;
  if (from !== undefined) parsed.from = from;
  parsed.text = text;
  return parsed;
}
