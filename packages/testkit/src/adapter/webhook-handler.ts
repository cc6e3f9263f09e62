import type { EventSink } from '@threadline/core';
import { parseTestWebhookBody } from './webhook-body';
import { type EventOrigin, toInboundEvent } from './webhook-events';
import { checkTestSignature, TEST_SIGNATURE_HEADER } from './webhook-signature';

const SIGNATURE_REFUSALS = {
  missing: `missing ${TEST_SIGNATURE_HEADER} header`,
  malformed: `malformed ${TEST_SIGNATURE_HEADER} header: expected sha256=<64 hex digits>`,
  mismatch: `${TEST_SIGNATURE_HEADER} does not match the body`,
} as const;

function answer(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** What {@link handleTestWebhook} needs besides the request. */
export interface TestWebhookOptions extends EventOrigin {
  secret: string;
  sink: EventSink;
}

/**
 * The test adapter's inbound path, as a real adapter's would be: verify the signature over the
 * raw bytes (before parsing, so a forged body is never even read as JSON), validate the payload,
 * emit each normalised event and await it, then answer 200. Nothing is emitted unless the whole
 * request is valid, so a provider retry never duplicates half a batch.
 *
 * Answers: 405 for anything but POST, 401 for a missing, malformed or wrong signature, 400 for a
 * body that is not JSON or not the format, 200 `{ received: n }` otherwise. An error thrown by the
 * sink propagates, so the host's HTTP layer answers 5xx and the provider retries.
 *
 * @example
 * ```ts
 * const response = await handleTestWebhook(request, { secret, sink, adapterId: 'test', channel: 'test', now: Date.now });
 * ```
 */
export async function handleTestWebhook(
  request: Request,
  options: TestWebhookOptions,
): Promise<Response> {
  if (request.method !== 'POST') return answer(405, { error: 'only POST is accepted' });
  const raw = new Uint8Array(await request.arrayBuffer());
  const problem = checkTestSignature(
    raw,
    request.headers.get(TEST_SIGNATURE_HEADER),
    options.secret,
  );
  if (problem) return answer(401, { error: SIGNATURE_REFUSALS[problem] });

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch (error) {
    return answer(400, { error: `body is not JSON: ${(error as Error).message}` });
  }
  const parsed = parseTestWebhookBody(json);
  if (!parsed.ok) {
    return answer(400, { error: `invalid webhook body: ${parsed.issues.join('; ')}` });
  }

  const events = parsed.body.events.map((event) => toInboundEvent(event, options));
  // One at a time, in order: the core records each before the next, as arrival order matters.
  for (const event of events) await options.sink.emit(event);
  return answer(200, { received: events.length });
}
