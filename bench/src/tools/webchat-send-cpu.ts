import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createWebChatAdapter } from '@threadline/webchat-ws';
import { PROACTIVE_TEXT, WEBCHAT_PATH, WEBCHAT_SECRET } from '../fixtures/webchat';

/**
 * B5's send path without sockets: `count` users with a web chat identity, then `rounds` times one
 * `channels.send` to each, all in flight at once (as B5's host does), on the memory store. No
 * socket is open, so the adapter builds each frame and finds nobody to write it to: what is left
 * is Threadline's own work per send, with no client process sharing the machine's cores. Prints
 * per round the wall time of the burst, when the adapter was handed the first message and the
 * 99th percentile one (B5's fan-out latency without the socket write), and the process's CPU per
 * send (its GC and compiler threads included). Round 1 is a fresh process's first burst, which is
 * what B5 measures; later rounds show the warmed-up code.
 *
 * - `--profile-round=N` writes an inspector CPU profile of round N to `results/`;
 * - `--heap-round=N` writes a sampling allocation profile of round N (`.heapprofile`, every
 *   allocation, collected or not: what the young generation has to get through);
 * - run with `--expose-gc` to print the heap each send keeps (after a forced collection);
 * - run with `--trace-gc` or `--trace-gc-nvp` and each round is marked in V8's output.
 *
 * `tsx --conditions=@threadline/source src/tools/webchat-send-cpu.ts [count=2000] [rounds=5] [--profile-round=N] [--heap-round=N]`
 */

const [countArg = '2000', roundsArg = '5'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const count = Number(countArg);
const rounds = Number(roundsArg);
const flag = (name: string) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? 0);
const profileRound = flag('profile-round');
const heapRound = flag('heap-round');

const store = createMemoryStore();
const webchat = createWebChatAdapter({ secret: WEBCHAT_SECRET, path: WEBCHAT_PATH });
// When the adapter is handed each message (its frame is written there): the fan-out latency of a
// socket, without the socket.
let handedAt: number[] = [];
const send = webchat.send.bind(webchat);
webchat.send = (envelope, options) => {
  handedAt.push(performance.now());
  return send(envelope, options);
};
const gc = (globalThis as { gc?: () => void }).gc;
const heapAfterGc = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const threadline = createThreadline({
  store,
  adapters: [webchat],
  onError: (error) => console.error('threadline:', error),
});
await threadline.start();
const userIds: string[] = [];
for (let index = 0; index < count; index += 1) {
  const key = { channel: 'webchat', address: `user:bench-${index}` };
  const { identity } = await store.identities.resolve({ ...key, kind: 'channel' });
  // What a socket's `connected` update records: the adapter and a reference make it warm.
  await store.identities.touch(key, {
    adapterId: webchat.id,
    reference: { adapterId: webchat.id, address: key.address },
  });
  userIds.push(identity.userId);
}

for (let round = 1; round <= rounds; round += 1) {
  let session: Session | undefined;
  if (round === profileRound) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  if (round === heapRound) {
    session = new Session();
    session.connect();
    // Every allocation sampled (1 in 128 bytes on average), kept even if collected since.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 128,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  handedAt = [];
  const heapBefore = heapAfterGc();
  // Marks the round in `--trace-gc` output (which goes to stdout).
  if (process.execArgv.some((arg) => arg.startsWith('--trace-gc')))
    console.log(`round ${round} starts`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(
    userIds.map((userId) =>
      threadline.channels.send({ channel: 'webchat', to: { userId }, text: PROACTIVE_TEXT }),
    ),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (session !== undefined && round === heapRound) {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const path = fileURLToPath(
      new URL(
        `../../results/webchat-send-round${round}-${Date.now()}.heapprofile`,
        import.meta.url,
      ),
    );
    writeFileSync(path, JSON.stringify(profile));
    console.error(`allocation profile written to ${path}`);
  } else if (session !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    const path = fileURLToPath(
      new URL(`../../results/webchat-send-round${round}-${Date.now()}.cpuprofile`, import.meta.url),
    );
    writeFileSync(path, JSON.stringify(profile));
    console.error(`profile written to ${path}`);
  }
  const accepted = results.filter((result) => result.status === 'accepted').length;
  const handed = handedAt.map((at) => at - started).sort((a, b) => a - b);
  const p99 = handed[Math.ceil(0.99 * handed.length) - 1] ?? Number.NaN;
  const kept =
    gc === undefined
      ? ''
      : `, ${((heapAfterGc() - heapBefore) / count).toFixed(0)} bytes kept per send`;
  console.log(
    `round ${round}: ${count} sends in ${wallMs.toFixed(0)} ms, handed to the adapter: first ${(handed[0] ?? Number.NaN).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms (${((wallMs * 1_000) / count).toFixed(0)} µs wall, ${((used.user + used.system) / count).toFixed(0)} µs CPU per send; ${accepted} accepted${kept})`,
  );
}
await threadline.stop();
