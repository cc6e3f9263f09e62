import { fileURLToPath } from 'node:url';
import { startProcess } from '../child';
import { WEBCHAT_PATH } from '../fixtures/webchat';
import { summarise } from '../measure';

/**
 * B5's broadcast, repeated on one server: opens `count` sockets to a `bare` or `threadline`
 * server (the scenario's own processes), then broadcasts `rounds` times and prints, per round,
 * the fan-out p50/p99 and the server's CPU per socket. The scenario measures the first broadcast
 * of a fresh process (code not yet optimised by V8); later rounds show the steady state, so a
 * change's effect on the work itself is not hidden by warm-up. `--profile-round=N` writes an
 * inspector profile of round N's broadcast to `results/`.
 *
 * `tsx --conditions=@threadline/source src/tools/b5-rounds.ts <bare|threadline> [count=2000] [rounds=5] [--profile-round=N]`
 */

const [mode = 'threadline', countArg = '2000', roundsArg = '5'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const profileRound = Number(
  process.argv.find((arg) => arg.startsWith('--profile-round='))?.split('=')[1] ?? 0,
);
const count = Number(countArg);
const rounds = Number(roundsArg);
const profilePath =
  profileRound > 0
    ? fileURLToPath(
        new URL(
          `../../results/b5-${mode}-round${profileRound}-${Date.now()}.cpuprofile`,
          import.meta.url,
        ),
      )
    : undefined;

const server = await startProcess<{ port: number }>({
  entry: new URL('../processes/socket-server.ts', import.meta.url),
  args: [mode],
  nodeFlags: ['--expose-gc'],
});
const clients = await startProcess<{ pid: number }>({
  entry: new URL('../processes/socket-clients.ts', import.meta.url),
});
try {
  await clients.call('connect', {
    url: `ws://127.0.0.1:${server.ready.port}${WEBCHAT_PATH}`,
    count,
    concurrency: 100,
    readyOn: mode === 'bare' ? 'open' : 'synced',
  });
  for (let round = 1; round <= rounds; round += 1) {
    await clients.call('arm');
    const [collected, sent] = await Promise.all([
      clients.call<{ arrivals: number[]; missing: number }>('collect', { timeoutMs: 120_000 }),
      server.call<{ startedAt: number; finishedAt: number; cpuMs: number }>('broadcast', {
        count,
        ...(round === profileRound ? { profilePath } : {}),
      }),
    ]);
    const arrived = collected.arrivals.filter((at) => at > 0).map((at) => at - sent.startedAt);
    const latency = summarise(arrived);
    console.log(
      `${mode} round ${round}: first ${Math.min(...arrived).toFixed(0)} ms, p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, calls done ${(sent.finishedAt - sent.startedAt).toFixed(0)} ms, ${((sent.cpuMs * 1_000) / count).toFixed(0)} µs CPU per socket${collected.missing > 0 ? `, ${collected.missing} missing` : ''}`,
    );
  }
} finally {
  await clients.close();
  await server.close();
}
