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

/**
 * Senders of the first-contact runs: more than any run sends, so every webhook (warm-up included)
 * comes from a number the store has never seen.
 */
const NEW_SENDERS = 1_000_000_000;

const BARE = 'bare node:http + HMAC + JSON.parse';
const BARE_PG = `${BARE} + one INSERT (pg pool of the store's size)`;

type Mode = 'bare' | 'bare-pg' | 'memory' | 'postgres';

interface Measured extends LoadResult {
  received: number | undefined;
  /** PostgreSQL statements per recorded message over the timed run (PostgreSQL modes). */
  statementsPerMessage: number | undefined;
}

/**
 * Runs one server in a child process of its own and hammers it with signed webhooks; with
 * `firstContacts`, every webhook comes from a new sender.
 */
async function measure(
  mode: Mode,
  context: ScenarioContext,
  options: { schema?: string; firstContacts?: boolean } = {},
): Promise<Measured> {
  const { schema, firstContacts = false } = options;
  const label = `${mode}${firstContacts ? ' (first contacts)' : ''}`;
  const server = await startProcess<{ port: number }>({
    entry: new URL('../processes/webhook-server.ts', import.meta.url),
    args: schema === undefined ? [mode] : [mode, schema],
    ...(context.profile
      ? { profileName: `b1-${mode}${firstContacts ? '-first' : ''}-${Date.now()}` }
      : {}),
  });
  try {
    const next = createWebhookFactory({ senders: firstContacts ? NEW_SENDERS : SENDERS });
    const counts = () => server.call<{ statements: number; received: number }>('statements');
    let before: { statements: number; received: number } | undefined;
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
      afterWarmup: async () => {
        before = await counts();
      },
    });
    const after = await counts();
    const received = mode === 'bare' ? undefined : after.received;
    const statementsPerMessage =
      schema === undefined || before === undefined || after.received === before.received
        ? undefined
        : (after.statements - before.statements) / (after.received - before.received);
    context.log(
      `B1 ${label}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, ${result.ok} ok, ${result.failed} failed${received === undefined ? '' : `, ${received} recorded (warm-up included)`}${statementsPerMessage === undefined ? '' : `, ${statementsPerMessage.toFixed(3)} statements per message`}`,
    );
    if (result.failed > 0)
      context.note(`${label}: ${result.failed} requests failed (non-2xx or errors)`);
    return { ...result, received, statementsPerMessage };
  } finally {
    await server.close();
  }
}

/** `measure` against a fresh schema of its own, dropped afterwards. */
async function measureOnPostgres(
  mode: 'bare-pg' | 'postgres',
  context: ScenarioContext,
  firstContacts = false,
): Promise<Measured> {
  const schema = freshSchemaName('b1');
  try {
    return await measure(mode, context, { schema, firstContacts });
  } finally {
    await dropSchema(schema);
  }
}

function rows(
  name: string,
  result: LoadResult,
  bare: LoadResult,
  options: { goal: boolean; baseline: string },
): BenchRow[] {
  const { baseline } = options;
  const throughput = {
    scenario: 'B1',
    figure: `${name}: signed webhooks/s`,
    value: result.requestsPerSecond,
    unit: 'req/s',
    baseline,
    baselineValue: bare.requestsPerSecond,
  };
  return [
    options.goal ? atLeast(throughput, 0.5) : reported(throughput),
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

/** Statements per recorded message, beside the baseline's (one `INSERT` each). */
function statementRow(name: string, result: Measured, bare: Measured): BenchRow[] {
  if (result.statementsPerMessage === undefined || bare.statementsPerMessage === undefined)
    return [];
  return [
    reported({
      scenario: 'B1',
      figure: `${name}: PostgreSQL statements per inbound message`,
      value: result.statementsPerMessage,
      unit: 'statements',
      baseline: BARE_PG,
      baselineValue: bare.statementsPerMessage,
    }),
  ];
}

/** The better of two baseline runs: a busy machine then slows the figure under test, never its baseline. */
function better(a: Measured, b: Measured): Measured {
  return b.requestsPerSecond > a.requestsPerSecond ? b : a;
}

/**
 * B1: signed WhatsApp webhooks through `threadline.fetch` (via `toNodeHandler()` on `node:http`),
 * 64 concurrent connections from autocannon, each webhook a new message (unique wamid) from one of
 * 500 senders. The server under test and the baseline each run alone in a child process, so
 * the load generator has the other core. Goals: memory store ≥ 50% of the bare baseline's
 * requests/s; PostgreSQL store ≥ 50% of the `bare-pg` baseline's (the bare server plus one
 * `INSERT` per webhook on a pool of the same size), returning senders and first contacts apart,
 * each with its PostgreSQL statements per message. p50/p99 reported for every server.
 */
export const b1: Scenario = {
  id: 'B1',
  title: 'signed WhatsApp webhooks, 64 connections',
  async run(context) {
    // The baselines run before and after the stores and their better run counts.
    const bareBefore = await measure('bare', context);
    const memory = await measure('memory', context);
    let pg:
      | { bare: Measured; returning: Measured; first: Measured; barePgRuns: Measured[] }
      | undefined;
    const connection = await connectPostgres();
    if ('error' in connection) {
      context.log(`B1: PostgreSQL unreachable (${connection.error}); postgres rows skipped`);
    } else {
      await connection.client.end();
      const barePgBefore = await measureOnPostgres('bare-pg', context);
      const returning = await measureOnPostgres('postgres', context);
      const first = await measureOnPostgres('postgres', context, true);
      const barePgAfter = await measureOnPostgres('bare-pg', context);
      pg = {
        bare: better(barePgBefore, barePgAfter),
        returning,
        first,
        barePgRuns: [barePgBefore, barePgAfter],
      };
    }
    const bareAfter = await measure('bare', context);
    const bare = better(bareBefore, bareAfter);
    const result = [
      ...rows('memory', memory, bare, { goal: true, baseline: BARE }),
      ...(pg === undefined
        ? []
        : [
            ...rows('postgres, returning senders', pg.returning, pg.bare, {
              goal: true,
              baseline: BARE_PG,
            }),
            ...statementRow('postgres, returning senders', pg.returning, pg.bare),
            ...rows('postgres, first contacts', pg.first, pg.bare, {
              goal: true,
              baseline: BARE_PG,
            }),
            ...statementRow('postgres, first contacts', pg.first, pg.bare),
          ]),
    ];
    context.note(
      `${CONNECTIONS} connections, ${context.full ? 15 : 4} s per server after a warm-up of ${SENDERS * (context.full ? 2 : 1)} webhooks (the ${SENDERS} senders' first contacts${context.full ? ', then one more each' : ''}), so the timed run is returning senders, each webhook a new message; the first-contact runs send every webhook (warm-up too) from a number never seen before; each server alone in a child process; no onMessage (the pipeline only); each baseline is the better of a run before and one after the stores (bare ${bareBefore.requestsPerSecond.toFixed(0)} and ${bareAfter.requestsPerSecond.toFixed(0)} req/s${pg === undefined ? '' : `; bare-pg ${pg.barePgRuns.map((run) => run.requestsPerSecond.toFixed(0)).join(' and ')} req/s`}). PostgreSQL pools: 10 connections for the store and the baseline alike; statements counted at the driver over the timed run.`,
    );
    return result;
  },
};
