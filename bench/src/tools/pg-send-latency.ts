import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startGraphServer } from '../fixtures/graph-server';
import { PHONE_NUMBER_ID, senderDigits } from '../fixtures/whatsapp';
import {
  createStore,
  createWhatsAppThreadline,
  openWindows,
} from '../fixtures/whatsapp-threadline';
import { connectPostgres, freshSchemaName } from '../pg';

/**
 * Where a PostgreSQL send's time goes, in one process: every statement the store sends, by kind,
 * with how often per send, its round trip as the client saw it (queueing in this process's event
 * loop included) and its rows. `send` is B2's sender (32 `channels.send` in flight for 6 s to 100
 * users); `bulk` is B3's (`templates.whatsapp.send` to `count` new numbers).
 *
 * `tsx --conditions=@threadline/source src/tools/pg-send-latency.ts [send|bulk] [count=3000]`
 */

const [mode = 'send', countArg = '3000'] = process.argv.slice(2);

interface Kind {
  statements: number;
  ms: number;
  rows: number;
}
const kinds = new Map<string, Kind>();

type Callback = (error: unknown, result: { rowCount?: number } | undefined) => void;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function timed(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : (first?.text ?? '?');
  const name = text.replace(/\s+/g, ' ').trim().slice(0, 70);
  const started = performance.now();
  const record = (result: { rowCount?: number } | undefined) => {
    const kind = kinds.get(name) ?? { statements: 0, ms: 0, rows: 0 };
    kind.statements += 1;
    kind.ms += performance.now() - started;
    kind.rows += result?.rowCount ?? 0;
    kinds.set(name, kind);
  };
  const callback = args.at(-1);
  if (typeof callback === 'function') {
    args[args.length - 1] = ((error, result) => {
      record(result);
      (callback as Callback)(error, result);
    }) satisfies Callback;
  }
  const answer = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (answer instanceof Promise) answer.then(record, () => undefined);
  return answer;
} as typeof query;

const graph = await startGraphServer();
const threadline = createWhatsAppThreadline({
  store: createStore('postgres', freshSchemaName('latency')),
  baseUrl: graph.baseUrl,
});
await threadline.start();
await openWindows(threadline, 100, 1);
kinds.clear();

/**
 * CPU seconds the store's PostgreSQL backends have used (this machine's server: `/proc` of the
 * backends whose application name is the bench's), so the server's share of a send is measured
 * beside the sender's.
 */
const ticks = 100;
const monitor = await connectPostgres();
if ('error' in monitor) throw new Error(monitor.error);
async function backendCpuSeconds(): Promise<number> {
  if ('error' in monitor) return 0;
  const { rows } = await monitor.client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'threadline-bench' AND pid <> pg_backend_pid()",
  );
  let total = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The backend ended meanwhile, or the server is on another machine.
    }
  }
  return total / ticks;
}
const serverBefore = await backendCpuSeconds();
const senderBefore = process.cpuUsage();

let sends = 0;
const started = performance.now();
if (mode === 'bulk') {
  const count = Number(countArg);
  const offset = (Date.now() % 1_000) * 100_000;
  function* numbers() {
    for (let index = 0; index < count; index += 1)
      yield `+4478${String(offset + index).padStart(8, '0')}`;
  }
  await threadline.templates.whatsapp.send({
    from: `whatsapp-${PHONE_NUMBER_ID}`,
    template: {
      name: 'order_update',
      languageCode: 'en_US',
      values: { body: { '1': 'Ann', '2': '12345' } },
    },
    phoneNumbers: numbers(),
    onResult: () => {
      sends += 1;
    },
  });
} else {
  const end = performance.now() + 6_000;
  await Promise.all(
    Array.from({ length: 32 }, async (_, worker) => {
      for (let index = worker; performance.now() < end; index += 32) {
        await threadline.channels.send({
          channel: 'whatsapp',
          to: { phoneNumber: `+${senderDigits(index % 100)}` },
          text: 'Your order 12345 has shipped.',
        });
        sends += 1;
      }
    }),
  );
}
const seconds = (performance.now() - started) / 1_000;
const serverCpu = (await backendCpuSeconds()) - serverBefore;
const senderUsage = process.cpuUsage(senderBefore);
const senderCpu = (senderUsage.user + senderUsage.system) / 1e6;
await monitor.client.end();
console.log(
  `${mode}: ${(sends / seconds).toFixed(0)} sends/s over ${seconds.toFixed(1)} s; CPU per send: sender ${((senderCpu / sends) * 1e6).toFixed(0)} µs, PostgreSQL backends ${((serverCpu / sends) * 1e6).toFixed(0)} µs (${((serverCpu / seconds) * 100).toFixed(0)} % of a core)`,
);
for (const [name, kind] of [...kinds].sort((a, b) => b[1].statements - a[1].statements)) {
  console.log(
    `${(kind.statements / sends).toFixed(3)} per send, ${(kind.ms / kind.statements).toFixed(2)} ms, ${(kind.rows / kind.statements).toFixed(1)} rows: ${name}`,
  );
}
await threadline.stop();
await graph.close();
process.exit(0);
