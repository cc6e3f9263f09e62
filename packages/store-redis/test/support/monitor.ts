import { createClient } from '@redis/client';
import { REDIS_URL } from './server';

/**
 * The commands a client sent under `prefix` while `run` ran, by name (upper case), in the order
 * Redis executed them. Commands a script runs (`[0 lua]` in MONITOR) do not count: only what
 * crossed the wire, which is what a round-trip budget is about.
 */
export async function commandsSent(prefix: string, run: () => Promise<unknown>): Promise<string[]> {
  const monitor = createClient({ url: REDIS_URL, RESP: 2 });
  await monitor.connect();
  const seen: string[] = [];
  const marker = `${prefix}done`;
  let done: () => void = () => undefined;
  const flushed = new Promise<void>((resolve) => {
    done = resolve;
  });
  await monitor.monitor((reply) => {
    const line = String(reply);
    if (line.includes(marker)) done();
    else if (line.includes(prefix) && !line.includes(' lua]')) seen.push(line);
  });
  try {
    await run();
    // MONITOR streams in execution order: once it shows this ECHO, it has shown the run.
    const probe = createClient({ url: REDIS_URL, RESP: 2 });
    await probe.connect();
    await probe.sendCommand(['ECHO', marker]);
    await flushed;
    await probe.close();
  } finally {
    await monitor.close();
  }
  return seen.map((line) => /\] "([A-Za-z]+)"/.exec(line)?.[1]?.toUpperCase() ?? line);
}
