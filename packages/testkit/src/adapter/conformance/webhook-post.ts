import type { ChannelAdapter, InboundEvent } from '@threadline/core';
import { createRecordingSink } from './recording-sink';

/**
 * How long (real time) the suite keeps listening after `handleWebhook` and its `waitUntil` work
 * settled: long enough for a fire-and-forget chain (a parse, a lookup, then `emit`) to show
 * itself, short enough to add little to a suite that posts a few dozen requests.
 */
export const LATE_EMIT_GRACE_MS = 25;

/** What a webhook post produced: the response and the events recorded by the time it settled. */
export interface WebhookPost {
  response: Response;
  events: readonly InboundEvent[];
}

/**
 * Calls `handleWebhook` as the core would (a recording sink, `waitUntil` work awaited), then
 * fails with a hint when an event was emitted without being awaited: one still pending when the
 * response settled, or one that arrived within {@link LATE_EMIT_GRACE_MS} after it. Without the
 * hint the mistake shows only as "expected [] to match object", which points nowhere.
 */
export async function postWebhook(
  adapter: ChannelAdapter,
  request: Request,
  publicUrl: string,
): Promise<WebhookPost> {
  if (typeof adapter.handleWebhook !== 'function') {
    throw new Error(`Adapter ${adapter.id} has a webhook fixture but no handleWebhook`);
  }
  const sink = createRecordingSink();
  const pending: Promise<unknown>[] = [];
  const response = await adapter.handleWebhook(request, {
    sink,
    publicUrl,
    waitUntil: (promise) => pending.push(promise),
  });
  await Promise.allSettled(pending);
  const recorded = sink.events.length;
  const unsettled = sink.emitted - recorded;
  await new Promise((resolve) => setTimeout(resolve, LATE_EMIT_GRACE_MS));
  const late = sink.emitted - recorded;
  if (unsettled > 0 || late > 0) {
    throw new Error(
      `Adapter ${adapter.id}: ${Math.max(unsettled, late)} event(s) were emitted but not yet ` +
        'recorded when handleWebhook resolved (and its waitUntil work settled). Did you forget ' +
        'to await context.sink.emit? The core records an event only when emit resolves: answer ' +
        'the provider after that (or hand the work to waitUntil), or a crash loses the event.',
    );
  }
  return { response, events: sink.events.slice() };
}
