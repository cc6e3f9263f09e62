import { fileURLToPath } from 'node:url';
import { startProcess } from '../child';
import { WEBCHAT_PATH } from '../fixtures/webchat';
import { type LatencySummary, summarise } from '../measure';
import { atMost, type BenchRow, below } from '../report';
import type { Scenario, ScenarioContext } from './scenario';

/** The limit on server memory per open socket. */
const KB_PER_SOCKET_LIMIT = 30;
/** Sockets opening at once, as visitors arrive. */
const CONNECT_CONCURRENCY = 100;

type Mode = 'bare' | 'threadline';

interface Memory {
  rssKb: number;
  heapKb: number;
  connections: number;
  collected: boolean;
}

interface FanOut {
  latency: LatencySummary;
  /** Server RSS growth per socket, in KB. */
  kbPerSocket: number;
  heapKbPerSocket: number;
}

/** Opens `count` sockets to a server of `mode`, then sends one message to every user. */
async function measure(mode: Mode, count: number, context: ScenarioContext): Promise<FanOut> {
  const profile = (side: string) =>
    context.profile ? { profileName: `b5-${mode}-${side}-${Date.now()}` } : {};
  const broadcastProfile = context.profile
    ? [
        fileURLToPath(
          new URL(`../../results/b5-${mode}-broadcast-${Date.now()}.cpuprofile`, import.meta.url),
        ),
      ]
    : [];
  const server = await startProcess<{ port: number }>({
    entry: new URL('../processes/socket-server.ts', import.meta.url),
    args: [mode, ...broadcastProfile],
    nodeFlags: ['--expose-gc'],
    ...profile('server'),
  });
  const clients = await startProcess<{ pid: number }>({
    entry: new URL('../processes/socket-clients.ts', import.meta.url),
    ...profile('clients'),
  });
  try {
    const before = await server.call<Memory>('memory');
    const connected = await clients.call<{ connected: number; seconds: number }>('connect', {
      url: `ws://127.0.0.1:${server.ready.port}${WEBCHAT_PATH}`,
      count,
      concurrency: CONNECT_CONCURRENCY,
      // Threadline's sockets are ready once welcomed and synced; a bare one once open.
      readyOn: mode === 'bare' ? 'open' : 'synced',
    });
    const after = await server.call<Memory>('memory');
    if (after.connections !== count) {
      throw new Error(`B5 ${mode}: ${after.connections} of ${count} sockets set up`);
    }
    await clients.call('arm');
    const [collected, sent] = await Promise.all([
      clients.call<{ arrivals: number[]; missing: number }>('collect', { timeoutMs: 120_000 }),
      server.call<{ startedAt: number; finishedAt: number; accepted: number; cpuMs: number }>(
        'broadcast',
        { count },
      ),
    ]);
    if (collected.missing > 0) context.note(`${mode}: ${collected.missing} sockets got nothing`);
    const latency = summarise(
      collected.arrivals.filter((at) => at > 0).map((at) => at - sent.startedAt),
    );
    const kbPerSocket = (after.rssKb - before.rssKb) / count;
    const heapKbPerSocket = (after.heapKb - before.heapKb) / count;
    context.log(
      `B5 ${mode}: ${count} sockets connected in ${connected.seconds.toFixed(1)} s; fan-out first ${(Math.min(...collected.arrivals.filter((at) => at > 0)) - sent.startedAt).toFixed(0)} ms, p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, last ${(Math.max(...collected.arrivals) - sent.startedAt).toFixed(0)} ms, send calls done after ${(sent.finishedAt - sent.startedAt).toFixed(0)} ms using ${sent.cpuMs.toFixed(0)} ms CPU (${((sent.cpuMs * 1_000) / count).toFixed(0)} µs per socket); ${kbPerSocket.toFixed(1)} KB RSS (${heapKbPerSocket.toFixed(1)} KB heap) per socket`,
    );
    return { latency, kbPerSocket, heapKbPerSocket };
  } finally {
    await clients.close();
    await server.close();
  }
}

/**
 * B5: web chat sockets on one server process (memory store), then one proactive message to every
 * user. Clients are `ws` clients in a child process of their own; fan-out latency is, for each
 * socket, the time from the moment the host starts sending (one `channels.send` per user, all in
 * flight at once) to that socket's `message` frame. Baseline: a bare `ws` server sending the same
 * frame to the same number of sockets. Memory per socket: the server's RSS growth over the
 * connect, after a forced GC, divided by the sockets. Quick mode opens 2,000 sockets; `--full`
 * the 10,000.
 */
export const b5: Scenario = {
  id: 'B5',
  title: 'web chat fan-out to every socket',
  async run(context) {
    const count = context.full ? 10_000 : 2_000;
    const bare = await measure('bare', count, context);
    const threadline = await measure('threadline', count, context);
    context.note(
      `${count.toLocaleString('en')} sockets (${context.full ? 'the issue’s size' : 'quick; --full opens 10,000'}); server and clients in separate child processes; latency from the start of the broadcast (all ${count.toLocaleString('en')} channels.send calls in flight at once) to each socket's frame; memory is server RSS growth over the connect after forced GC (heap: ${threadline.heapKbPerSocket.toFixed(1)} KB per socket for Threadline, ${bare.heapKbPerSocket.toFixed(1)} KB bare).`,
    );
    const rows: BenchRow[] = [
      atMost(
        {
          scenario: 'B5',
          figure: 'fan-out latency p99',
          value: threadline.latency.p99,
          unit: 'ms',
          baseline: 'bare ws broadcast p99',
          baselineValue: bare.latency.p99,
        },
        1.5,
      ),
      below(
        {
          scenario: 'B5',
          figure: 'server memory per socket',
          value: threadline.kbPerSocket,
          unit: 'KB',
          baseline: 'bare ws server per socket',
          baselineValue: bare.kbPerSocket,
        },
        KB_PER_SOCKET_LIMIT,
      ),
    ];
    return rows;
  },
};
