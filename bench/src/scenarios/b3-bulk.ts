import { monitorEventLoopDelay } from 'node:perf_hooks';
import { THROUGHPUT_JITTER_MS } from '@threadline/whatsapp-cloud';
import { startProcess } from '../child';
import { startGraphServer } from '../fixtures/graph-server';
import { MAX_RATE } from '../fixtures/whatsapp-threadline';
import { maxInWindow } from '../measure';
import type { BulkRunResult } from '../processes/bulk-sender';
import { atMost, below, near } from '../report';
import type { Scenario } from './scenario';

/** The limit on memory growth over a 100,000-number send. */
const RSS_GROWTH_LIMIT_MB = 100;

/**
 * B3: `templates.whatsapp.send` to many numbers at the configured 1,000 msg/s (the adapter's
 * maximum), memory store. The loopback Graph server notes when each send arrives: the achieved
 * rate is (arrivals − 1) / (last − first), and the busiest second is the most arrivals in any
 * sliding 1-second window. Goals: within 2% of the configured rate, no second over it, RSS growth
 * < 100 MB (after a forced GC, the summary still held). Quick mode sends to 10,000 numbers (10 s);
 * `--full` to the 100,000 (100 s).
 */
export const b3: Scenario = {
  id: 'B3',
  title: 'bulk template send at 1,000 msg/s',
  async run(context) {
    const count = context.full ? 100_000 : 10_000;
    const graph = await startGraphServer();
    const sender = await startProcess<{ pid: number }>({
      entry: new URL('../processes/bulk-sender.ts', import.meta.url),
      args: [graph.baseUrl],
      nodeFlags: ['--expose-gc'],
      ...(context.profile ? { profileName: `b3-memory-${Date.now()}` } : {}),
    });
    try {
      graph.record();
      // The Graph server's own stalls would bunch arrival times too: watched, to tell them apart.
      const receiverStalls = monitorEventLoopDelay({ resolution: 10 });
      receiverStalls.enable();
      const result = await sender.call<BulkRunResult>('run', { count });
      receiverStalls.disable();
      const arrivals = graph.arrivals;
      const first = arrivals[0] as number;
      const last = arrivals[arrivals.length - 1] as number;
      const achieved = ((arrivals.length - 1) / (last - first)) * 1_000;
      const busiest = maxInWindow(arrivals, 1_000);
      const growth = result.rssAfterMb - result.rssBeforeMb;
      context.log(
        `B3: ${result.succeeded} sent, ${result.failed} failed in ${result.seconds.toFixed(1)} s; ${arrivals.length} arrived at ${achieved.toFixed(1)}/s, busiest second ${busiest}; RSS ${result.rssBeforeMb.toFixed(0)} → ${result.rssAfterMb.toFixed(0)} MB (peak ${result.rssPeakMb.toFixed(0)} MB)`,
      );
      if (result.failed > 0) context.note(`${result.failed} sends failed: ${result.firstError}`);
      context.note(
        `${count.toLocaleString('en')} numbers (${context.full ? 'the issue’s size' : 'quick; --full sends to 100,000'}), memory store, sent in ${result.seconds.toFixed(1)} s; RSS ${result.rssBeforeMb.toFixed(0)} → ${result.rssAfterMb.toFixed(0)} MB${result.collected ? ' after forced GC' : ''} (peak ${result.rssPeakMb.toFixed(0)} MB), live heap ${result.heapUsedBeforeMb.toFixed(0)} → ${result.heapUsedAfterMb.toFixed(0)} MB (${(((result.heapUsedAfterMb - result.heapUsedBeforeMb) * 1024 * 1024) / count).toFixed(0)} bytes per number) with ${result.heapTotalAfterMb.toFixed(0)} MB of heap reserved; the adapter holds each request's place in its one-second window until a second after its answer (at most ${THROUGHPUT_JITTER_MS} ms past its start), so the ceiling is the rate × 1 s / (1 s + answer time); event-loop delay in the sender p99 ${result.loopDelayP99Ms.toFixed(0)} ms, worst ${result.loopDelayMaxMs.toFixed(0)} ms (in the Graph server: worst ${(receiverStalls.max / 1e6).toFixed(0)} ms).`,
      );
      return [
        near(
          {
            scenario: 'B3',
            figure: 'achieved rate',
            value: achieved,
            unit: 'msg/s',
            baseline: 'configured rate',
            baselineValue: MAX_RATE,
          },
          0.02,
        ),
        atMost(
          {
            scenario: 'B3',
            figure: 'busiest 1-s window',
            value: busiest,
            unit: 'msgs',
            baseline: 'configured rate × 1 s',
            baselineValue: MAX_RATE,
          },
          1,
        ),
        below(
          {
            scenario: 'B3',
            figure: `RSS growth over ${count.toLocaleString('en')} numbers`,
            value: growth,
            unit: 'MB',
            baseline: 'RSS before the send',
            baselineValue: result.rssBeforeMb,
          },
          RSS_GROWTH_LIMIT_MB,
        ),
      ];
    } finally {
      await sender.close();
      await graph.close();
    }
  },
};
