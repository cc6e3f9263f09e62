import { startProcess } from '../child';
import { createWebhookFactory, WEBHOOK_PATH } from '../fixtures/whatsapp';
import { type LoadResult, postLoad } from '../load/autocannon';
import { connectPostgres, dropSchema, freshSchemaName } from '../pg';
import { atLeast, type BenchRow, reported } from '../report';
import type { Scenario, ScenarioContext } from './scenario';

/** The issue's load: 64 keep-alive connections, each sending its next webhook on each answer. */
const CONNECTIONS = 64;
/**
 * Distinct senders, taken in turn. The warm-up sends one message from each (their first contact,
 * which creates the user), so the timed run measures what dominates in production: people who
 * have written before, each message a new one.
 */
const SENDERS = 500;

type Mode = 'bare' | 'memory' | 'postgres';

/** Runs one server in a child process of its own and hammers it with signed webhooks. */
async function measure(
  mode: Mode,
  context: ScenarioContext,
  schema?: string,
): Promise<LoadResult & { received: number | undefined }> {
  const server = await startProcess<{ port: number }>({
    entry: new URL('../processes/webhook-server.ts', import.meta.url),
    args: schema === undefined ? [mode] : [mode, schema],
    ...(context.profile ? { profileName: `b1-${mode}-${Date.now()}` } : {}),
  });
  try {
    const next = createWebhookFactory({ senders: SENDERS });
    const result = await postLoad({
      url: `http://127.0.0.1:${server.ready.port}${WEBHOOK_PATH}`,
      connections: CONNECTIONS,
      seconds: context.full ? 15 : 4,
      warmupRequests: SENDERS * (context.full ? 2 : 1),
      next: () => {
        const { body, signature } = next();
        return {
          body,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        };
      },
    });
    const received = mode === 'bare' ? undefined : await server.call<number>('received');
    context.log(
      `B1 ${mode}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, ${result.ok} ok, ${result.failed} failed${received === undefined ? '' : `, ${received} recorded (warm-up included)`}`,
    );
    if (result.failed > 0)
      context.note(`${mode}: ${result.failed} requests failed (non-2xx or errors)`);
    return { ...result, received };
  } finally {
    await server.close();
  }
}

function rows(name: string, result: LoadResult, bare: LoadResult, goal: boolean): BenchRow[] {
  const baseline = 'bare node:http + HMAC + JSON.parse';
  const throughput = {
    scenario: 'B1',
    figure: `${name}: signed webhooks/s`,
    value: result.requestsPerSecond,
    unit: 'req/s',
    baseline,
    baselineValue: bare.requestsPerSecond,
  };
  return [
    goal ? atLeast(throughput, 0.5) : reported(throughput),
    ...(['p50', 'p99'] as const).map((quantile) =>
      reported({
        scenario: 'B1',
        figure: `${name}: latency ${quantile}`,
        value: result.latency[quantile],
        unit: 'ms',
        baseline: `${baseline}, ${quantile}`,
        baselineValue: bare.latency[quantile],
      }),
    ),
  ];
}

/**
 * B1: signed WhatsApp webhooks through `threadline.fetch` (via `toNodeHandler()` on `node:http`),
 * 64 concurrent connections from autocannon, each webhook a new message (unique wamid) from one of
 * 10,000 senders. The server under test and the baseline each run alone in a child process, so
 * the load generator has the other core. Goal: memory store ≥ 50% of the baseline's requests/s;
 * p50/p99 reported for both stores.
 */
export const b1: Scenario = {
  id: 'B1',
  title: 'signed WhatsApp webhooks, 64 connections',
  async run(context) {
    // The baseline runs before and after the stores and its better run counts: a busy machine
    // then slows the figure under test, never the baseline it is judged against.
    const bareBefore = await measure('bare', context);
    const memory = await measure('memory', context);
    let postgres: LoadResult | undefined;
    const connection = await connectPostgres();
    if ('error' in connection) {
      context.log(`B1: PostgreSQL unreachable (${connection.error}); postgres rows skipped`);
    } else {
      await connection.client.end();
      const schema = freshSchemaName('b1');
      try {
        postgres = await measure('postgres', context, schema);
      } finally {
        await dropSchema(schema);
      }
    }
    const bareAfter = await measure('bare', context);
    const bare =
      bareAfter.requestsPerSecond > bareBefore.requestsPerSecond ? bareAfter : bareBefore;
    const result = [
      ...rows('memory', memory, bare, true),
      ...(postgres === undefined ? [] : rows('postgres', postgres, bare, false)),
    ];
    context.note(
      `${CONNECTIONS} connections, ${context.full ? 15 : 4} s per server after a warm-up of ${SENDERS * (context.full ? 2 : 1)} webhooks (the ${SENDERS} senders' first contacts${context.full ? ', then one more each' : ''}), so the timed run is returning senders, each webhook a new message; each server alone in a child process; no onMessage (the pipeline only); the baseline is the better of a run before and one after the stores (${bareBefore.requestsPerSecond.toFixed(0)} and ${bareAfter.requestsPerSecond.toFixed(0)} req/s).`,
    );
    return result;
  },
};
