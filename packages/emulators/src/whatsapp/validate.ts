import { z } from 'zod';
import { GraphErrorCode, type GraphErrorCodeValue } from './errors';
import { InteractiveSchema } from './validate-interactive';
import { MediaSchemas } from './validate-media';
import { TemplateSchema } from './validate-template';

/** Text body limit: 4096 characters (Meta's text message reference). */
export const TEXT_BODY_MAX = 4096;
/** `biz_opaque_callback_data` is echoed back in status webhooks; at most 512 characters. */
export const CALLBACK_DATA_MAX = 512;

const envelope = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().min(1),
  context: z.strictObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(CALLBACK_DATA_MAX).optional(),
};

const text = z.strictObject({
  body: z.string().min(1).max(TEXT_BODY_MAX),
  preview_url: z.boolean().optional(),
});
const reaction = z.strictObject({
  message_id: z.string().min(1),
  // An empty emoji removes an earlier reaction.
  emoji: z.string(),
});
const location = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().optional(),
  address: z.string().optional(),
});

/** A message send body: the envelope plus exactly the object its `type` names. */
export const SendBodySchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('text'), text }),
  z.strictObject({ ...envelope, type: z.literal('image'), image: MediaSchemas.image }),
  z.strictObject({ ...envelope, type: z.literal('video'), video: MediaSchemas.video }),
  z.strictObject({ ...envelope, type: z.literal('audio'), audio: MediaSchemas.audio }),
  z.strictObject({ ...envelope, type: z.literal('document'), document: MediaSchemas.document }),
  z.strictObject({ ...envelope, type: z.literal('sticker'), sticker: MediaSchemas.sticker }),
  z.strictObject({ ...envelope, type: z.literal('interactive'), interactive: InteractiveSchema }),
  z.strictObject({ ...envelope, type: z.literal('template'), template: TemplateSchema }),
  z.strictObject({ ...envelope, type: z.literal('reaction'), reaction }),
  z.strictObject({ ...envelope, type: z.literal('location'), location }),
]);

/** A validated message send body. */
export type SendBody = z.output<typeof SendBodySchema>;

/**
 * Mark as read (optionally with a typing indicator): same endpoint, no `to`, no `type`.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/mark-message-as-read/
 */
export const MarkReadBodySchema = z.strictObject({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.strictObject({ type: z.literal('text') }).optional(),
});

/** A validated mark-as-read body. */
export type MarkReadBody = z.output<typeof MarkReadBodySchema>;

/** What a `POST /{phone-number-id}/messages` body asks for, or the Graph error it earns. */
export type ParsedSendRequest =
  | { ok: true; kind: 'message'; body: SendBody }
  | { ok: true; kind: 'read'; body: MarkReadBody }
  | { ok: false; code: GraphErrorCodeValue; details: string };

/** `interactive['action']['buttons'][0]`: the way Graph names a parameter in its details. */
function graphPath(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  if (first === undefined) return 'body';
  return first + rest.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `['${part}']`)).join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Which Graph code a zod issue stands for. Graph answers 131008 for a missing field, 100 for a
 * malformed one (unknown key, wrong type, unknown `type`) and 131009 for a value out of range.
 */
function graphCodeFor(issue: z.core.$ZodIssue, input: unknown): GraphErrorCodeValue {
  const params = (issue as { params?: { graphCode?: GraphErrorCodeValue } }).params;
  if (params?.graphCode !== undefined) return params.graphCode;
  if (issue.code === 'unrecognized_keys') return GraphErrorCode.InvalidParameter;
  // Whatever zod calls it (a wrong type, a literal, a union), an absent field is "missing".
  if (valueAt(input, issue.path) === undefined) return GraphErrorCode.RequiredParameterMissing;
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
    return GraphErrorCode.InvalidParameter;
  }
  return GraphErrorCode.ParameterValueInvalid;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Unexpected key "${issue.keys.join('", "')}" on param "${graphPath(issue.path)}".`;
  }
  return `Param ${graphPath(issue.path)}: ${issue.message}`;
}

/**
 * Validates a send body the way the Graph API does and says which error code a bad one earns.
 * `type` defaults to `text` when absent, as on Graph.
 *
 * @example
 * ```ts
 * const parsed = parseSendRequest({ messaging_product: 'whatsapp', to: '447700900123', text: { body: 'hi' } });
 * if (!parsed.ok) console.log(parsed.code, parsed.details); // never reached: this one is valid
 * ```
 */
export function parseSendRequest(input: unknown): ParsedSendRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      code: GraphErrorCode.InvalidParameter,
      details: 'The request body must be a JSON object.',
    };
  }
  const isRead = 'status' in input;
  const candidate = isRead || 'type' in input ? input : { ...input, type: 'text' };
  const result = (isRead ? MarkReadBodySchema : SendBodySchema).safeParse(candidate);
  if (result.success) {
    return isRead
      ? { ok: true, kind: 'read', body: result.data as MarkReadBody }
      : { ok: true, kind: 'message', body: result.data as SendBody };
  }
  // Graph reports one problem at a time; the first issue is the one a developer fixes first.
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  return { ok: false, code: graphCodeFor(issue, candidate), details: describe(issue) };
}
