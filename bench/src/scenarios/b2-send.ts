import { startProcess } from '../child';
import { startGraphServer } from '../fixtures/graph-server';
import { MAX_RATE } from '../fixtures/whatsapp-threadline';
import { connectPostgres, dropSchema, freshSchemaName } from '../pg';
import type { SendLoopResult } from '../processes/send-loop';
import { atLeast, type BenchRow, reported } from '../report';
import type { Scenario, ScenarioContext } from './scenario';

/** Sends in flight at once, for Threadline and the raw loops alike. */
const CONCURRENCY = 32;

/**
 * Business numbers Threadline sends from in the main row. Meta caps each number at 1,000
 * messages/s (the adapter enforces it), and a raw loop on loopback is faster than that, so one
 * number would measure the cap, not Threadline. A business that needs more throughput runs
 * several numbers; four lift the cap to 4,000/s, well above the raw loop.
 */
const NUMBERS = 4;

/**
 * Statements of one send alone on PostgreSQL (policy read, create, complete), the most
 * `store-postgres/test/send-statements.test.ts` allows.
 */
const LONE_SEND_STATEMENTS = 3;

type Mode = 'raw' | 'raw-http' | 'raw-paced' | 'memory' | `memory:${number}` | 'postgres';

/** How long each sender runs, untimed then timed. */
const seconds = (context: ScenarioContext) =>
  context.full ? { warmup: 2, timed: 10 } : { warmup: 0.5, timed: 2.5 };

async function measure(
  mode: Mode,
  target: { messagesUrl: string; baseUrl: string },
  context: ScenarioContext,
  schema?: string,
): Promise<SendLoopResult> {
  const url = mode.startsWith('raw') ? target.messagesUrl : target.baseUrl;
  const name = mode.replace(':', '-');
  const sender = await startProcess<{ mode: string }>({
    entry: new URL('../processes/send-loop.ts', import.meta.url),
    args: schema === undefined ? [mode, url] : [mode, url, schema],
    ...(context.profile ? { profileName: `b2-${name}-${Date.now()}` } : {}),
  });
  try {
    const result = await sender.call<SendLoopResult>('run', {
      concurrency: CONCURRENCY,
      seconds: seconds(context).timed,
      warmupSeconds: seconds(context).warmup,
    });
    const statements =
      result.statementsPerSend === undefined
        ? ''
        : `, ${result.statementsPerSend.toFixed(2)} statements per send`;
    context.log(
      `B2 ${mode}: ${result.sendsPerSecond.toFixed(0)} sends/s, ${result.sendsPerCpuSecond.toFixed(0)} sends per CPU-second, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, ${result.failed} failed${statements}, CPU ${(result.cpuShare * 100).toFixed(0)}% of a core, event loop busy ${(result.eventLoopUtilization * 100).toFixed(0)}%`,
    );
    if (result.failed > 0) context.note(`${mode}: ${result.failed} sends failed`);
    return result;
  } finally {
    await sender.close();
  }
}

/**
 * B2: `channels.send` of free-form text to WhatsApp users whose window is open, against a loopback
 * Graph-like server, 32 sends in flight. The row sends from {@link NUMBERS} business
 * numbers (one adapter each at Meta's maximum 1,000/s), so Meta's per-number cap, which the core's
 * pacer and the adapter's throughput window enforce, is far above what either sender reaches and
 * the figure is Threadline's own cost next to a raw `fetch` loop. Two more rows: one number against
 * a raw loop paced to the same 1,000/s (can Threadline keep up with the cap?), and sends per
 * CPU-second (what each send costs).
 */
export const b2: Scenario = {
  id: 'B2',
  title: 'channels.send to WhatsApp, loopback Graph',
  async run(context) {
    const graph = await startGraphServer();
    const rows: BenchRow[] = [];
    try {
      // The baselines run before and after Threadline and their better run counts: a busy machine
      // then slows the figure under test, never the baseline it is judged against.
      const rawRuns = [await measure('raw', graph, context)];
      const httpRuns = [await measure('raw-http', graph, context)];
      const pacedRuns = [await measure('raw-paced', graph, context)];
      const memory = await measure(`memory:${NUMBERS}`, graph, context);
      const single = await measure('memory', graph, context);
      let postgres: SendLoopResult | undefined;
      const connection = await connectPostgres();
      if ('error' in connection) {
        context.log(`B2: PostgreSQL unreachable (${connection.error}); postgres rows skipped`);
      } else {
        await connection.client.end();
        const schema = freshSchemaName('b2');
        try {
          postgres = await measure('postgres', graph, context, schema);
        } finally {
          await dropSchema(schema);
        }
      }
      rawRuns.push(await measure('raw', graph, context));
      httpRuns.push(await measure('raw-http', graph, context));
      pacedRuns.push(await measure('raw-paced', graph, context));
      const best = (runs: SendLoopResult[]) =>
        runs.reduce((a, b) => (b.sendsPerSecond > a.sendsPerSecond ? b : a));
      const raw = best(rawRuns);
      const rawPaced = best(pacedRuns);
      const rawHttp = best(httpRuns);
      const base = { scenario: 'B2', unit: 'sends/s' };
      rows.push(
        atLeast(
          {
            ...base,
            figure: `memory: sends/s (${NUMBERS} numbers)`,
            value: memory.sendsPerSecond,
            baseline: 'raw fetch loop',
            baselineValue: raw.sendsPerSecond,
          },
          0.7,
        ),
        atLeast(
          {
            ...base,
            figure: `memory: sends/s (1 number, capped at ${MAX_RATE}/s)`,
            value: single.sendsPerSecond,
            baseline: `raw fetch loop paced at ${MAX_RATE}/s`,
            baselineValue: rawPaced.sendsPerSecond,
          },
          0.7,
        ),
        // The adapter sends over node:http, which costs far less CPU than fetch: its own raw loop
        // shows what is Threadline's and what is the client's.
        reported({
          ...base,
          figure: `memory: sends/s (${NUMBERS} numbers)`,
          value: memory.sendsPerSecond,
          baseline: 'raw node:http loop',
          baselineValue: rawHttp.sendsPerSecond,
        }),
        reported({
          ...base,
          figure: `memory: sends per CPU-second (${NUMBERS} numbers)`,
          value: memory.sendsPerCpuSecond,
          unit: 'sends/CPU-s',
          baseline: 'raw fetch loop',
          baselineValue: raw.sendsPerCpuSecond,
        }),
      );
      if (postgres !== undefined) {
        // Issue 17's B2-pg goal: one number on PostgreSQL keeps up with the rate it is allowed.
        rows.push(
          atLeast(
            {
              ...base,
              figure: 'postgres: sends/s (1 number)',
              value: postgres.sendsPerSecond,
              baseline: `raw fetch loop paced at ${MAX_RATE}/s`,
              baselineValue: rawPaced.sendsPerSecond,
            },
            0.95,
          ),
        );
        if (postgres.statementsPerSend !== undefined) {
          // Issue 17 asks for the statements beside the figure; group commit shares them between
          // the sends in flight, so under load a send costs well under the three of a lone one.
          rows.push(
            reported({
              ...base,
              figure: 'postgres: statements per send (1 number)',
              value: postgres.statementsPerSend,
              unit: 'statements',
              baseline: 'a lone send (send-statements.test.ts)',
              baselineValue: LONE_SEND_STATEMENTS,
            }),
          );
        }
      }
      context.note(
        `${CONCURRENCY} sends in flight, ${seconds(context).timed} s per sender after a ${seconds(context).warmup} s warm-up, each sender alone in a child process; the main row sends from ${NUMBERS} business numbers (Meta caps each at ${MAX_RATE}/s, so ${NUMBERS * MAX_RATE}/s in all, above the raw loop), users spread evenly over them; the one-number row is held at ${MAX_RATE}/s by design. Baselines are the better of a run before and one after Threadline (unpaced fetch ${rawRuns.map((run) => run.sendsPerSecond.toFixed(0)).join(' and ')}, node:http ${httpRuns.map((run) => run.sendsPerSecond.toFixed(0)).join(' and ')}, paced ${pacedRuns.map((run) => run.sendsPerSecond.toFixed(0)).join(' and ')} sends/s).`,
      );
      return rows;
    } finally {
      await graph.close();
    }
  },
};
