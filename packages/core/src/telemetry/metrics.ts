import type { OtelCounter, OtelMeter, OtelObservableResult } from './api';

/**
 * Every counter the runtime reports, with its description. Names follow OpenTelemetry's
 * conventions (dot-separated, plural nouns for counts, unit in the metadata).
 */
const COUNTERS = {
  'threadline.webhooks': 'Webhook requests, by adapter and outcome (accepted, rejected)',
  'threadline.deliveries.status': 'Delivery status changes, by channel and new status',
  'threadline.outbox.retries': 'Delivery attempts that failed and were rescheduled',
  'threadline.window.holds': 'Messages held behind a closed session window',
  'threadline.jobs.runs': 'Job runs, by handler and outcome (completed, failed)',
} as const;

export type MetricName = keyof typeof COUNTERS;

export interface RuntimeInstruments {
  counters: Record<MetricName, OtelCounter>;
  observeOutbox(read: () => Promise<{ depth: number; lagMs: number } | null>): () => void;
}

export const RUNTIME_METRICS = {
  create(meter: OtelMeter): RuntimeInstruments {
    const counters = Object.fromEntries(
      Object.entries(COUNTERS).map(([name, description]) => [
        name,
        meter.createCounter(name, { description }),
      ]),
    ) as Record<MetricName, OtelCounter>;
    const depth = meter.createObservableGauge('threadline.outbox.depth', {
      description: 'Deliveries due now and not yet sent',
    });
    const lag = meter.createObservableGauge('threadline.outbox.lag', {
      description: 'How long the oldest due delivery has waited',
      unit: 'ms',
    });
    return {
      counters,
      observeOutbox(read) {
        // One store read per collection feeds both gauges.
        let pending: Promise<{ depth: number; lagMs: number } | null> | null = null;
        const once = () => {
          pending ??= read()
            .catch(() => null)
            .finally(() => setTimeout(() => (pending = null), 0));
          return pending;
        };
        const onDepth = async (result: OtelObservableResult) => {
          const stats = await once();
          if (stats) result.observe(stats.depth);
        };
        const onLag = async (result: OtelObservableResult) => {
          const stats = await once();
          if (stats) result.observe(stats.lagMs);
        };
        depth.addCallback(onDepth);
        lag.addCallback(onLag);
        return () => {
          depth.removeCallback(onDepth);
          lag.removeCallback(onLag);
        };
      },
    };
  },
};
