import { DELIVERY_STATUSES, type DeliveryStatus } from '@threadline/core';

/**
 * The test adapter's webhook payload: a small JSON format standing in for a provider's. Timestamps
 * are ISO strings or epoch milliseconds; absent, the adapter's clock supplies them.
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
export interface TestWebhookBody {
  events: TestWebhookEvent[];
}

/** A timestamp in the test format: ISO 8601 or epoch milliseconds. */
export type TestTimestamp = string | number;

/** One event of a {@link TestWebhookBody}. */
export type TestWebhookEvent =
  | {
      type: 'message';
      id: string;
      from: string;
      text: string;
      name?: string;
      payload?: string;
      replyTo?: string;
      timestamp?: TestTimestamp;
    }
  | {
      type: 'status';
      id: string;
      status: Exclude<DeliveryStatus, 'queued'>;
      to?: string;
      timestamp?: TestTimestamp;
      error?: { category: string; code?: string; title?: string };
    }
  | {
      type: 'opt-out' | 'opt-in';
      from: string;
      keyword?: string;
      id?: string;
      timestamp?: TestTimestamp;
    }
  | {
      type: 'reaction';
      id: string;
      from: string;
      messageId: string;
      emoji: string;
      timestamp?: TestTimestamp;
    };

/** The outcome of {@link parseTestWebhookBody}: the body, or every problem found in it. */
export type TestWebhookParse =
  | { ok: true; body: TestWebhookBody }
  | { ok: false; issues: string[] };

type Fields = Record<string, unknown>;
type Check = (value: unknown) => string | null;

const STATUSES = DELIVERY_STATUSES.filter((status) => status !== 'queued');

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString: Check = (value) =>
  typeof value === 'string' && value.trim() !== '' ? null : 'expected a non-empty string';
const anyString: Check = (value) => (typeof value === 'string' ? null : 'expected a string');
const timestamp: Check = (value) =>
  (typeof value === 'string' || typeof value === 'number') &&
  !Number.isNaN(new Date(value).getTime())
    ? null
    : 'expected an ISO date string or epoch milliseconds';
const status: Check = (value) =>
  STATUSES.includes(value as (typeof STATUSES)[number])
    ? null
    : `expected one of ${STATUSES.join(', ')}`;
const statusError: Check = (value) =>
  isObject(value) && nonEmptyString(value.category) === null
    ? null
    : 'expected an object with a category';

/** Each event type's fields: `true` marks a required one. */
const SHAPES: Record<TestWebhookEvent['type'], Record<string, [Check, boolean]>> = {
  message: {
    id: [nonEmptyString, true],
    from: [nonEmptyString, true],
    text: [anyString, true],
    name: [anyString, false],
    payload: [anyString, false],
    replyTo: [nonEmptyString, false],
    timestamp: [timestamp, false],
  },
  status: {
    id: [nonEmptyString, true],
    status: [status, true],
    to: [nonEmptyString, false],
    timestamp: [timestamp, false],
    error: [statusError, false],
  },
  'opt-out': {
    from: [nonEmptyString, true],
    keyword: [anyString, false],
    id: [nonEmptyString, false],
    timestamp: [timestamp, false],
  },
  'opt-in': {
    from: [nonEmptyString, true],
    keyword: [anyString, false],
    id: [nonEmptyString, false],
    timestamp: [timestamp, false],
  },
  reaction: {
    id: [nonEmptyString, true],
    from: [nonEmptyString, true],
    messageId: [nonEmptyString, true],
    emoji: [anyString, true],
    timestamp: [timestamp, false],
  },
};

const isEventType = (value: unknown): value is TestWebhookEvent['type'] =>
  typeof value === 'string' && Object.hasOwn(SHAPES, value);

function eventIssues(event: unknown, path: string): string[] {
  if (!isObject(event)) return [`${path}: expected an object`];
  if (!isEventType(event.type)) {
    return [`${path}.type: expected one of ${Object.keys(SHAPES).join(', ')}`];
  }
  const issues: string[] = [];
  for (const [field, [check, required]] of Object.entries(SHAPES[event.type])) {
    const value = event[field];
    if (value === undefined) {
      if (required) issues.push(`${path}.${field}: required`);
      continue;
    }
    const problem = check(value);
    if (problem) issues.push(`${path}.${field}: ${problem}`);
  }
  return issues;
}

/**
 * Validates a parsed JSON value as a {@link TestWebhookBody}, naming every bad field
 * (`events.0.from: required`). Unknown fields are ignored, as a provider's additions would be.
 *
 * Hand-written rather than zod: `@threadline/testkit` does not depend on zod (only core does), and
 * the format is small enough that a table of checks reads as well as a schema.
 *
 * @example
 * ```ts
 * const result = parseTestWebhookBody(JSON.parse(raw));
 * if (!result.ok) return new Response(result.issues.join('; '), { status: 400 });
 * ```
 */
export function parseTestWebhookBody(value: unknown): TestWebhookParse {
  if (!isObject(value) || !Array.isArray(value.events)) {
    return { ok: false, issues: ['events: expected an array of events'] };
  }
  const issues = value.events.flatMap((event, index) => eventIssues(event, `events.${index}`));
  return issues.length === 0
    ? { ok: true, body: { events: value.events as TestWebhookEvent[] } }
    : { ok: false, issues };
}
