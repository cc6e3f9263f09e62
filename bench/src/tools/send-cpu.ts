import { loadavg } from 'node:os';
import { startProcess } from '../child';
import { startGraphServer } from '../fixtures/graph-server';
import { connectPostgres, dropSchema, freshSchemaName } from '../pg';
import type { SendLoopResult } from '../processes/send-loop';

/**
 * B2's sender alone, for an A/B of the core's CPU per send: runs `send-loop` in `mode` (default
 * `memory:4`) `runs` times against the loopback Graph server and prints sends per CPU-second, the
 * figure a shared machine moves least, with the 1-minute load beside each run.
 *
 * `tsx --conditions=@threadline/source src/tools/send-cpu.ts [mode=memory:4] [runs=3] [seconds=4]`
 */

const [mode = 'memory:4', runsArg = '3', secondsArg = '4'] = process.argv.slice(2);
const runs = Number(runsArg);
const seconds = Number(secondsArg);

const graph = await startGraphServer();
try {
  for (let run = 0; run < runs; run += 1) {
    const schema = mode === 'postgres' ? freshSchemaName('sendcpu') : undefined;
    if (schema !== undefined) {
      const connection = await connectPostgres();
      if ('error' in connection) throw new Error(connection.error);
      await connection.client.end();
    }
    const url = mode.startsWith('raw') ? graph.messagesUrl : graph.baseUrl;
    const sender = await startProcess<{ mode: string }>({
      entry: new URL('../processes/send-loop.ts', import.meta.url),
      args: schema === undefined ? [mode, url] : [mode, url, schema],
    });
    try {
      const result = await sender.call<SendLoopResult>('run', {
        concurrency: 32,
        seconds,
        warmupSeconds: 1,
      });
      console.log(
        `${mode} run ${run + 1}: ${result.sendsPerCpuSecond.toFixed(0)} sends/CPU-s, ${result.sendsPerSecond.toFixed(0)} sends/s, p50 ${result.latency.p50.toFixed(1)} ms, CPU ${(result.cpuShare * 100).toFixed(0)}% of a core, event loop busy ${(result.eventLoopUtilization * 100).toFixed(0)}%, load ${loadavg()[0]?.toFixed(2)}`,
      );
    } finally {
      await sender.close();
      if (schema !== undefined) await dropSchema(schema);
    }
  }
} finally {
  await graph.close();
}
