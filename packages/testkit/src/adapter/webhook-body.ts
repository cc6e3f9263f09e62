import { DELIVERY_ERROR_CATEGORIES, DELIVERY_STATUSES } from '@threadline/core';
import { z } from 'zod';

/** A timestamp in the test format: ISO 8601 or epoch milliseconds. */
const TimestampSchema = z
  .union([z.string(), z.number()])
  .refine(
    (value) => !Number.isNaN(new Date(value).getTime()),
    'expected an ISO date string or epoch milliseconds',
  );

const id = z.string().trim().min(1, 'expected a non-empty string');

const MessageSchema = z.object({
  type: z.literal('message'),
  id,
  from: id,
  text: z.string(),
  name: z.string().optional(),
  payload: z.string().optional(),
  replyTo: id.optional(),
  timestamp: TimestampSchema.optional(),
});

const StatusSchema = z.object({
  type: z.literal('status'),
  id,
  status: z.enum(DELIVERY_STATUSES).exclude(['queued']),
  to: id.optional(),
  timestamp: TimestampSchema.optional(),
  error: z
    .object({
      category: z.enum(DELIVERY_ERROR_CATEGORIES),
      code: z.string().optional(),
      title: z.string().optional(),
    })
    .optional(),
});

const ConsentSchema = z.object({
  type: z.enum(['opt-out', 'opt-in']),
  from: id,
  keyword: z.string().optional(),
  id: id.optional(),
  timestamp: TimestampSchema.optional(),
});

const ReactionSchema = z.object({
  type: z.literal('reaction'),
  id,
  from: id,
  messageId: id,
  emoji: z.string(),
  timestamp: TimestampSchema.optional(),
});

const TestWebhookEventSchema = z.discriminatedUnion('type', [
  MessageSchema,
  StatusSchema,
  ConsentSchema,
  ReactionSchema,
]);

/**
 * The test adapter's webhook payload: a small JSON format standing in for a provider's. Timestamps
 * are ISO strings or epoch milliseconds; absent, the adapter's clock supplies them. Unknown fields
 * are ignored, as a provider's additions would be.
 *
 * @example
 * ```json
 * { "events": [
 *   { "type": "message", "id": "in-1", "from": "+15550001", "text": "hello" },
 *   { "type": "status", "id": "test-msg-1", "status": "delivered" },
 *   { "type": "opt-out", "from": "+15550001", "keyword": "STOP" },
 *   { "type": "reaction", "id": "r-1", "from": "+15550001", "messageId": "test-msg-1", "emoji": "👍" }
 * ] }
 * ```
 */
export const TestWebhookBodySchema = z.object({ events: z.array(TestWebhookEventSchema) });

export type TestWebhookBody = z.infer<typeof TestWebhookBodySchema>;
/** One event of a {@link TestWebhookBody}. */
export type TestWebhookEvent = z.infer<typeof TestWebhookEventSchema>;
/** A timestamp in the test format: ISO 8601 or epoch milliseconds. */
export type TestTimestamp = z.infer<typeof TimestampSchema>;

/** The outcome of {@link parseTestWebhookBody}: the body, or every problem found in it. */
export type TestWebhookParse =
  | { ok: true; body: TestWebhookBody }
  | { ok: false; issues: string[] };

/**
 * Validates a parsed JSON value as a {@link TestWebhookBody}, naming every bad field
 * (`events.0.from: required`). Unknown fields are ignored, as a provider's additions would be.
 *
 * @example
 * ```ts
 * const result = parseTestWebhookBody(JSON.parse(raw));
 * if (!result.ok) return new Response(result.issues.join('; '), { status: 400 });
 * ```
 */
export function parseTestWebhookBody(value: unknown): TestWebhookParse {
  const result = TestWebhookBodySchema.safeParse(value);
  if (result.success) return { ok: true, body: result.data };
  return {
    ok: false,
    issues: result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    ),
  };
}
