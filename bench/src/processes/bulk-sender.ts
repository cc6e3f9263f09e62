import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serveCommands } from '../child';
import { ADAPTER_ID, createStore, createWhatsAppThreadline } from '../fixtures/whatsapp-threadline';

/**
 * B3's sender, alone in a child process run with `--expose-gc`, so its RSS is Threadline's alone
 * and can be read after a full collection: `templates.whatsapp.send` of one template to `count`
 * numbers through the adapter at 1,000 msg/s, against the loopback Graph server at `baseUrl`.
 *
 * argv: `<baseUrl> [memory|postgres] [schema]`.
 */

const [baseUrl, storeKind = 'memory', schema] = process.argv.slice(2) as [
  string,
  string | undefined,
  string | undefined,
];
const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

/** Resident set size in MB, after a full collection when `--expose-gc` is on. */
function settledRss(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().rss / MB;
}

const threadline = createWhatsAppThreadline({ store: createStore(storeKind, schema), baseUrl });
await threadline.start();

/** What one bulk send measured: its outcome and the sender's memory before and after. */
export interface BulkRunResult {
  seconds: number;
  succeeded: number;
  failed: number;
  firstError?: string;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPeakMb: number;
  /** The live heap before and after, and what V8 kept reserved after the send (all in MB). */
  heapUsedBeforeMb: number;
  heapUsedAfterMb: number;
  heapTotalAfterMb: number;
  /** The sender's event-loop delay over the send, p99 and worst, in ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Whether RSS was read after forced collections. */
  collected: boolean;
}

serveCommands(
  { pid: process.pid },
  {
    async run(input: { count: number }): Promise<BulkRunResult> {
      // Streamed as a host sending 100,000 numbers should (docs/sending.md): the numbers come from
      // a generator (a file or a cursor in real life) and each outcome goes to `onResult`, so
      // the growth measured is Threadline's own, not a list of numbers or of results.
      function* phoneNumbers() {
        for (let index = 0; index < input.count; index += 1) {
          yield `+4478${String(index).padStart(8, '0')}`;
        }
      }
      let failed = 0;
      let firstError: string | undefined;
      const rssBeforeMb = settledRss();
      const heapBeforeMb = process.memoryUsage().heapUsed / MB;
      let rssPeakMb = rssBeforeMb;
      // How long the loop stalled (GC pauses, long tasks): a request granted before a stall goes out
      // after it, bunched with later ones, which is how a window of starts can overshoot at Meta.
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const sampler = setInterval(() => {
        rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / MB);
      }, 100);
      const started = performance.now();
      const summary = await threadline.templates.whatsapp.send({
        from: ADAPTER_ID,
        template: {
          name: 'order_update',
          languageCode: 'en_US',
          values: { body: { '1': 'Ann', '2': '12345' } },
        },
        phoneNumbers: phoneNumbers(),
        onResult: (outcome) => {
          if (outcome.ok) return;
          failed += 1;
          firstError ??= outcome.message;
        },
      });
      const seconds = (performance.now() - started) / 1_000;
      clearInterval(sampler);
      stalls.disable();
      // Measured while the summary (what the host holds when the call returns) is still alive.
      const rssAfterMb = settledRss();
      const { heapUsed, heapTotal } = process.memoryUsage();
      return {
        seconds,
        succeeded: summary.succeeded,
        failed,
        ...(firstError === undefined ? {} : { firstError }),
        rssBeforeMb,
        rssAfterMb,
        rssPeakMb: Math.max(rssPeakMb, rssAfterMb),
        heapUsedBeforeMb: heapBeforeMb,
        heapUsedAfterMb: heapUsed / MB,
        heapTotalAfterMb: heapTotal / MB,
        loopDelayP99Ms: stalls.percentile(99) / 1e6,
        loopDelayMaxMs: stalls.max / 1e6,
        collected: gc !== undefined,
      };
    },
  },
);
