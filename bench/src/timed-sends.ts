import { serveCommands } from './child';
import { type LatencySummary, summarise } from './measure';
import type { StatementCounter } from './statements';

/**
 * The timed part of a sender process (B2, B6): keep `concurrency` sends in flight for a warm-up
 * and then for `seconds`, and report the rate, the CPU this process used and the latencies.
 */

/** Sends one message; resolves when the provider (or Threadline) has answered. */
export type SendOne = (index: number) => Promise<void>;

/** What one sender measured over its timed run. */
export interface SendLoopResult {
  sendsPerSecond: number;
  /** Sends per second of CPU this process used: the rate it could reach if nothing capped it. */
  sendsPerCpuSecond: number;
  latency: LatencySummary;
  sends: number;
  failed: number;
  /** CPU seconds per wall second over the timed run (above 1: GC and libuv threads too). */
  cpuShare: number;
  /**
   * Share of the timed run the event loop was busy (`performance.eventLoopUtilization`): near 1
   * the sender is CPU-bound, well below it the sends wait (database, network, pacing).
   */
  eventLoopUtilization: number;
  /** Database statements per completed send in the timed run, when the sender counted them. */
  statementsPerSend?: number;
}

/** Keeps `concurrency` sends in flight until `seconds` have passed. */
async function loop(
  label: string,
  send: SendOne,
  input: { concurrency: number; seconds: number },
  samples?: number[],
) {
  const deadline = performance.now() + input.seconds * 1_000;
  let sends = 0;
  let failed = 0;
  let index = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await send(index++);
        sends += 1;
        samples?.push(performance.now() - started);
      } catch (error) {
        failed += 1;
        if (failed === 1) console.error(`${label}:`, error);
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, worker));
  return { sends, failed };
}

/**
 * Serves the `run` command of a sender process.
 *
 * @example
 * ```ts
 * serveTimedSends('B6 raw', { mode }, async (index) => { await client.messages.create(…); });
 * ```
 */
export function serveTimedSends(
  label: string,
  ready: unknown,
  send: SendOne,
  statements?: StatementCounter,
): void {
  serveCommands(ready, {
    async run(input: { concurrency: number; seconds: number; warmupSeconds: number }) {
      await loop(label, send, { concurrency: input.concurrency, seconds: input.warmupSeconds });
      const samples: number[] = [];
      statements?.reset();
      const cpu = process.cpuUsage();
      const loopUse = performance.eventLoopUtilization();
      const started = performance.now();
      const { sends, failed } = await loop(label, send, input, samples);
      const elapsed = (performance.now() - started) / 1_000;
      const used = process.cpuUsage(cpu);
      const busy = performance.eventLoopUtilization(loopUse).utilization;
      return {
        sendsPerSecond: sends / elapsed,
        sendsPerCpuSecond: sends / ((used.user + used.system) / 1e6),
        cpuShare: (used.user + used.system) / 1e6 / elapsed,
        eventLoopUtilization: busy,
        latency: summarise(samples),
        sends,
        failed,
        ...(statements === undefined || sends === 0
          ? {}
          : { statementsPerSend: statements.read() / sends }),
      } satisfies SendLoopResult;
    },
  });
}
