import { startTwilioEmulator } from '@threadline/emulators';
import { startProcess } from '../child';
import { atLeast, type BenchRow, reported } from '../report';
import type { SendLoopResult } from '../timed-sends';
import type { Scenario, ScenarioContext } from './scenario';

/** Sends in flight at once, for Threadline and the raw loop alike (as B2). */
const CONCURRENCY = 32;
const ACCOUNT_SID = `AC${'b6'.repeat(16)}`;
const AUTH_TOKEN = 'bench-token';
const FROM = '+15017122661';

const seconds = (context: ScenarioContext) =>
  context.full ? { warmup: 2, timed: 10 } : { warmup: 0.5, timed: 2.5 };

async function measure(
  mode: 'raw' | 'threadline',
  url: string,
  context: ScenarioContext,
): Promise<SendLoopResult> {
  const sender = await startProcess<{ mode: string }>({
    entry: new URL('../processes/sms-send-loop.ts', import.meta.url),
    args: [mode, url, ACCOUNT_SID, AUTH_TOKEN, FROM],
    ...(context.profile ? { profileName: `b6-${mode}-${Date.now()}` } : {}),
  });
  try {
    const result = await sender.call<SendLoopResult>('run', {
      concurrency: CONCURRENCY,
      seconds: seconds(context).timed,
      warmupSeconds: seconds(context).warmup,
    });
    context.log(
      `B6 ${mode}: ${result.sendsPerSecond.toFixed(0)} sends/s, ${result.sendsPerCpuSecond.toFixed(0)} sends per CPU-second, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, ${result.failed} failed`,
    );
    if (result.failed > 0) context.note(`${mode}: ${result.failed} sends failed`);
    return result;
  } finally {
    await sender.close();
  }
}

/**
 * B6: `channels.send` of text to SMS through `@threadline/twilio-sms` against the Twilio emulator
 * of `@threadline/emulators`, beside twilio-node's own client creating the same messages in a
 * loop. Both go through the twilio SDK; the difference is Threadline (policy, the outbox, the
 * thread) and the adapter's fetch transport versus the SDK's axios one.
 */
export const b6: Scenario = {
  id: 'B6',
  title: 'channels.send to SMS, Twilio emulator',
  async run(context) {
    const emulator = await startTwilioEmulator({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      numbers: [FROM],
    });
    try {
      const rawRuns = [await measure('raw', emulator.url, context)];
      const threadline = await measure('threadline', emulator.url, context);
      rawRuns.push(await measure('raw', emulator.url, context));
      const raw = rawRuns.reduce((a, b) => (b.sendsPerSecond > a.sendsPerSecond ? b : a));
      const base = { scenario: 'B6', unit: 'sends/s' };
      const rows: BenchRow[] = [
        atLeast(
          {
            ...base,
            figure: 'memory: SMS sends/s',
            value: threadline.sendsPerSecond,
            baseline: 'raw twilio client loop',
            baselineValue: raw.sendsPerSecond,
          },
          0.7,
        ),
        reported({
          ...base,
          figure: 'memory: SMS sends per CPU-second',
          value: threadline.sendsPerCpuSecond,
          unit: 'sends/CPU-s',
          baseline: 'raw twilio client loop',
          baselineValue: raw.sendsPerCpuSecond,
        }),
      ];
      context.note(
        `${CONCURRENCY} sends in flight, ${seconds(context).timed} s per sender after a ${seconds(context).warmup} s warm-up, each sender alone in a child process, the emulator in the bench process; the adapter's pacer set to 10,000/s, far above either loop (a long code's default of 1/s, or 1,000/s, would measure the cap); raw runs ${rawRuns.map((run) => run.sendsPerSecond.toFixed(0)).join(' and ')} sends/s.`,
      );
      return rows;
    } finally {
      await emulator.stop();
    }
  },
};
