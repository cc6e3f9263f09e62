import type { RuntimeContext } from './context';

/**
 * Feeds the runtime's metrics from what already happens: status changes and job runs from the
 * event bus, outbox depth and lag from the store when it can count (`outboxStats`). Returns a
 * function that stops. Does nothing without OpenTelemetry.
 */
export function observeRuntime(ctx: RuntimeContext): () => void {
  const { telemetry, events, store } = ctx;
  if (!telemetry.active) return () => undefined;
  const stops = [
    events.on('delivery.status', ({ channel, status }) =>
      telemetry.count('threadline.deliveries.status', {
        'threadline.channel': channel,
        'threadline.delivery.status': status,
      }),
    ),
    events.on('job.completed', ({ handler }) =>
      telemetry.count('threadline.jobs.runs', {
        'threadline.job.handler': handler,
        outcome: 'completed',
      }),
    ),
    events.on('job.failed', ({ handler }) =>
      telemetry.count('threadline.jobs.runs', {
        'threadline.job.handler': handler,
        outcome: 'failed',
      }),
    ),
  ];
  const outboxStats = store.deliveries.outboxStats?.bind(store.deliveries);
  if (outboxStats) {
    stops.push(
      telemetry.observeOutbox(async () => {
        const stats = await outboxStats();
        const oldest = stats.oldestDueAt?.getTime();
        return {
          depth: stats.due,
          lagMs: oldest === undefined ? 0 : Math.max(0, ctx.clock.now() - oldest),
        };
      }),
    );
  }
  return () => {
    for (const stop of stops) stop();
  };
}
