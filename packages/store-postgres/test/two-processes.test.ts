import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createDueDeliveries, waitFor } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { adminPool, closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const DELIVERIES = 500;
const script = fileURLToPath(new URL('./fixtures/dispatcher.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** A dispatcher in its own Node process, and its output as lines. */
function startDispatcher(schema: string, worker: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [tsx, '--conditions=@threadline/source', script, DATABASE_URL, schema, worker],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  child.stdout?.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    lines,
    exited,
    ready: () => waitFor(() => lines.includes('ready'), `${worker} to start`, 20_000),
  };
}

describe.runIf(serverReachable)('two Node processes dispatching from one database', () => {
  const schema = uniqueName('twoproc');
  afterAll(async () => {
    await dropSchema(schema);
    await closeAdminPool();
  });

  it(`send each of ${DELIVERIES} deliveries exactly once between them`, {
    timeout: 60_000,
  }, async () => {
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema });
    await store.migrate();
    await adminPool().query(
      `CREATE TABLE "${schema}".sent_log (delivery_id text NOT NULL, worker text NOT NULL)`,
    );
    const workers = [startDispatcher(schema, 'worker-a'), startDispatcher(schema, 'worker-b')];
    try {
      await Promise.all(workers.map((worker) => worker.ready()));
      // Both are polling before the first delivery exists, so they race for every one of them.
      const ids = await createDueDeliveries(store, DELIVERIES, () => new Date());
      await waitFor(
        async () => {
          const { rows } = await adminPool().query(
            `SELECT count(*)::int AS n FROM "${schema}".threadline_deliveries WHERE status = 'queued'`,
          );
          return rows[0]?.n === 0;
        },
        'every delivery to be sent',
        40_000,
      );
      for (const worker of workers) worker.child.stdin?.end('stop\n');
      expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);

      const totals = workers.map((worker) => JSON.parse(worker.lines.at(-1) ?? '{}'));
      // Checked through the database: one send per delivery, by the worker that completed it.
      const { rows: sends } = await adminPool().query(
        `SELECT s.delivery_id, s.worker, d.provider_message_id, d.status, d.attempts
         FROM "${schema}".sent_log s JOIN "${schema}".threadline_deliveries d ON d.id = s.delivery_id`,
      );
      expect(sends).toHaveLength(DELIVERIES);
      expect(new Set(sends.map((row) => row.delivery_id))).toEqual(new Set(ids));
      for (const row of sends) {
        expect(row).toMatchObject({ status: 'sent', attempts: 1 });
        expect(row.provider_message_id).toBe(`${row.worker}:${row.delivery_id}`);
      }
      expect(totals.reduce((sum, total) => sum + total.completed, 0)).toBe(DELIVERIES);
      // Both processes really took part.
      for (const total of totals) expect(total.completed).toBeGreaterThan(0);
    } finally {
      for (const worker of workers) worker.child.kill();
      await store.close();
    }
  });
});
