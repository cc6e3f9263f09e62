import type { z } from 'zod';
import {
  BaseMessageSchema,
  MESSAGE_BODY_SCHEMAS,
  MessagesValueSchema,
  WebhookEnvelopeSchema,
} from './schema';

/**
 * Plain checks for the shapes nearly every webhook has (a text message from a returning user),
 * tried before zod. Running the zod schemas on every item cost as much as the HMAC check in the B1
 * benchmark. Each check accepts only values its zod schema accepts with the same data (a `loose`
 * object passes its input's keys through), so a value it passes needs no zod; anything it does not
 * recognise (a `context`, `referral`, `errors`, a type other than text) goes to zod, which decides
 * and gives the same typed result and reasons as before.
 */

type Safe<T> = { success: true; data: T } | { success: false };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;

function isChange(value: unknown): boolean {
  return isObject(value) && typeof value.field === 'string';
}

function isEntry(value: unknown): boolean {
  return (
    isObject(value) &&
    optionalString(value.id) &&
    Array.isArray(value.changes) &&
    value.changes.every(isChange)
  );
}

function isEnvelope(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.object === 'string' &&
    Array.isArray(value.entry) &&
    value.entry.every(isEntry)
  );
}

function isContact(value: unknown): boolean {
  if (!isObject(value) || !optionalString(value.wa_id)) return false;
  const { profile } = value;
  return profile === undefined || (isObject(profile) && optionalString(profile.name));
}

const optionalArray = (value: unknown) => value === undefined || Array.isArray(value);

function isMessagesValue(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { metadata, contacts } = value;
  return (
    isObject(metadata) &&
    typeof metadata.phone_number_id === 'string' &&
    optionalString(metadata.display_phone_number) &&
    (contacts === undefined || (Array.isArray(contacts) && contacts.every(isContact))) &&
    optionalArray(value.messages) &&
    optionalArray(value.statuses) &&
    optionalArray(value.errors)
  );
}

/** The common fields with none of the optional objects zod would have to look into. */
function isPlainMessage(value: unknown): boolean {
  return (
    isObject(value) &&
    nonEmptyString(value.from) &&
    nonEmptyString(value.id) &&
    typeof value.timestamp === 'string' &&
    typeof value.type === 'string' &&
    value.context === undefined &&
    value.referral === undefined &&
    value.errors === undefined
  );
}

function isTextBody(value: unknown): boolean {
  return isObject(value) && isObject(value.text) && typeof value.text.body === 'string';
}

/** `schema.safeParse(value)`, unless `check` already shows the value has the schema's shape. */
function checked<S extends z.ZodType>(
  schema: S,
  check: (value: unknown) => boolean,
  value: unknown,
): Safe<z.output<S>> {
  if (check(value)) return { success: true, data: value as z.output<S> };
  const parsed = schema.safeParse(value);
  return parsed.success ? { success: true, data: parsed.data } : { success: false };
}

/** {@link WebhookEnvelopeSchema}, checked plainly first. */
export const parseEnvelope = (value: unknown) => checked(WebhookEnvelopeSchema, isEnvelope, value);

/** {@link MessagesValueSchema}, checked plainly first. */
export const parseMessagesValue = (value: unknown) =>
  checked(MessagesValueSchema, isMessagesValue, value);

/** {@link BaseMessageSchema}, checked plainly first. */
export const parseBaseMessage = (value: unknown) =>
  checked(BaseMessageSchema, isPlainMessage, value);

/** The type-specific body of a message: text checked plainly, the other types by zod. */
export function parseMessageBody(type: keyof typeof MESSAGE_BODY_SCHEMAS, value: unknown) {
  const schema = MESSAGE_BODY_SCHEMAS[type];
  if (type === 'text') return checked(schema, isTextBody, value);
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { success: true as const, data: parsed.data }
    : { success: false as const };
}
