/** Latency samples in milliseconds, summarised. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

/** The value at quantile `q` (0..1) of sorted samples (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mean };
}

/** Runs `operation` `times` times one after another and returns each call's latency in ms. */
export async function timeEach(
  times: number,
  operation: (index: number) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const start = performance.now();
    await operation(index);
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The most events in any window of `windowMs`, from times in ms sorted oldest first. */
export function maxInWindow(sortedTimes: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < sortedTimes.length; end += 1) {
    while ((sortedTimes[end] as number) - (sortedTimes[start] as number) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
