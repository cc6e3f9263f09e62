import pg from 'pg';
import { senderDigits } from '../fixtures/whatsapp';
import { startGraphServer } from '../fixtures/graph-server';
import { createStore, createWhatsAppThreadline, openWindows } from '../fixtures/whatsapp-threadline';
import { freshSchemaName } from '../pg';

// Where a PostgreSQL send's time goes: every statement's round trip by kind, in one process.
const stats = new Map<string, { n: number; ms: number; rows: number }>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function timed(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text: string };
  const text = typeof first === 'string' ? first : first?.text ?? '?';
  const kind = text.replace(/\s+/g, ' ').trim().slice(0, 70);
  const t0 = performance.now();
  const record = (r: { rowCount?: number } | undefined) => {
    const s = stats.get(kind) ?? { n: 0, ms: 0, rows: 0 };
    s.n += 1; s.ms += performance.now() - t0; s.rows += r?.rowCount ?? 0;
    stats.set(kind, s);
  };
  const last = args.at(-1);
  if (typeof last === 'function') {
    args[args.length - 1] = (error: unknown, r: { rowCount?: number }) => { record(r); (last as (e: unknown, r: unknown) => void)(error, r); };
  }
  const result = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (result instanceof Promise) result.then(record, () => undefined);
  return result;
} as typeof query;

const graph = await startGraphServer();
const threadline = createWhatsAppThreadline({ store: createStore('postgres', freshSchemaName('lat')), baseUrl: graph.baseUrl });
await threadline.start();
await openWindows(threadline, 100, 1);
stats.clear();
let lag = 0; let lagN = 0; let last = performance.now();
const lagTimer = setInterval(() => { const now = performance.now(); lag += Math.max(0, now - last - 10); lagN++; last = now; }, 10);
const end = performance.now() + 6000;
let done = 0; const lat: number[] = [];
await Promise.all(Array.from({ length: 32 }, async (_, w) => {
  let i = w;
  while (performance.now() < end) {
    const t0 = performance.now();
    await threadline.channels.send({ channel: 'whatsapp', to: { phoneNumber: `+${senderDigits(i % 100)}` }, text: 'Your order 12345 has shipped.' });
    lat.push(performance.now() - t0); done++; i += 32;
  }
}));
clearInterval(lagTimer);
lat.sort((a, b) => a - b);
console.log(`${(done / 6).toFixed(0)} sends/s, p50 ${lat[lat.length >> 1]?.toFixed(1)} ms, loop lag avg ${(lag / lagN).toFixed(2)} ms/10ms tick`);
for (const [kind, s] of [...stats].sort((a, b) => b[1].n - a[1].n))
  console.log(`${(s.n / done).toFixed(3)}/send  avg ${(s.ms / s.n).toFixed(2)} ms  rows/stmt ${(s.rows / s.n).toFixed(1)}  ${kind}`);
await threadline.stop();
await graph.close?.();
process.exit(0);
