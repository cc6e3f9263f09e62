import autocannon from 'autocannon';
import { type LatencySummary, summarise } from '../measure';

/**
 * HTTP load from autocannon (a well-kept load generator, not the code under test): a fixed number
 * of keep-alive connections, each sending its next request as soon as the last one is answered,
 * every request built fresh by `next` (a new signed body each time).
 */

/** One request: its body and the headers that go with it. */
export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

/** What a load run measured. */
export interface LoadResult {
  /** 2xx answers per second over the measured run. */
  requestsPerSecond: number;
  /** Latency of the 2xx answers, in ms, from our own samples (autocannon's histogram rounds to 1 ms). */
  latency: LatencySummary;
  ok: number;
  /** Non-2xx answers and connection errors: a run with any is not a clean measurement. */
  failed: number;
  seconds: number;
}

function once(
  options: autocannon.Options,
  onResponse?: (statusCode: number, responseTime: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
    if (onResponse) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) =>
        onResponse(statusCode, responseTime),
      );
    }
  });
}

/**
 * POSTs to `url` from `connections` connections for `seconds`, after `warmupRequests` requests of
 * the same load that are not counted (JIT, connection set-up, first-contact records).
 */
export async function postLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  warmupRequests: number;
  next: () => LoadRequest;
  /** Runs between the warm-up and the measured run (a snapshot of the server's counters). */
  afterWarmup?: () => Promise<void>;
}): Promise<LoadResult> {
  const base: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, headers } = options.next();
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  };
  if (options.warmupRequests > 0) await once({ ...base, amount: options.warmupRequests });
  await options.afterWarmup?.();
  const samples: number[] = [];
  let failed = 0;
  const started = performance.now();
  const result = await once({ ...base, duration: options.seconds }, (statusCode, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    else failed += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: samples.length / seconds,
    latency: summarise(samples),
    ok: samples.length,
    failed: failed + result.errors,
    seconds,
  };
}
