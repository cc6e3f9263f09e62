import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import {
  ACCESS_TOKEN,
  API_VERSION,
  APP_SECRET,
  phoneNumberId,
  senderDigits,
} from '../fixtures/whatsapp';
import { MAX_RATE, openWindows } from '../fixtures/whatsapp-threadline';

/**
 * The core's CPU per send without the network: B2's `channels.send` of text from four WhatsApp
 * numbers on the memory store, 32 in flight, with a `fetch` that answers Graph's success shape at
 * once (no undici, no socket). What is left is Threadline's own work per send (validation, policy,
 * outbox, pacer, deadlines, telemetry, the adapter's render), so an A/B of a change to it is not
 * drowned in the transport's cost. Prints CPU microseconds per send for each round, the median
 * and the best.
 *
 * `tsx --conditions=@threadline/source src/tools/core-send-cpu.ts [sends=20000] [rounds=5] [--telemetry-ab]`
 */

const [sendsArg = '20000', roundsArg = '5'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const sendsPerRound = Number(sendsArg);
const rounds = Number(roundsArg);
const NUMBERS = 4;
const RECIPIENTS = 100;
const CONCURRENCY = 32;
const TEXT = 'Your order 12345 has shipped and will arrive on Thursday.';

let wamid = 0;
/** Graph's success answer, without a socket; only what the adapter reads of a `Response`. */
const stubFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
  const { to } = JSON.parse(String(init?.body)) as { to: string };
  wamid += 1;
  const answer = {
    contacts: [{ input: to, wa_id: to }],
    messages: [{ id: `wamid.stub.${wamid}` }],
  };
  return {
    ok: true,
    status: 200,
    statusText: 'OK',
    headers: new Headers(),
    json: async () => answer,
    text: async () => JSON.stringify(answer),
  } as unknown as Response;
}) as typeof fetch;

const threadline = createThreadline({
  store: createMemoryStore(),
  adapters: Array.from({ length: NUMBERS }, (_, k) =>
    createWhatsAppCloudAdapter({
      phoneNumberId: phoneNumberId(k),
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: 'bench-verify-token',
      baseUrl: 'http://127.0.0.1:9',
      apiVersion: API_VERSION,
      rate: { perSecond: MAX_RATE },
      fetch: stubFetch,
    }),
  ),
  onError: (error) => console.error('threadline:', error),
});
await threadline.start();
await openWindows(threadline, RECIPIENTS, NUMBERS);

async function round(sends: number): Promise<number> {
  let index = 0;
  const worker = async () => {
    while (index < sends) {
      const result = await threadline.channels.send({
        channel: 'whatsapp',
        to: { phoneNumber: `+${senderDigits(index++ % RECIPIENTS)}` },
        text: TEXT,
      });
      if (!result.delivered) throw new Error(`send ended ${result.status}`);
    }
  };
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / sends;
}

// The pacer holds each number at 1,000/s: rounds are sized to stay CPU-bound, not rate-bound.
await round(Math.min(sendsPerRound, 4_000));

/**
 * `--telemetry-ab`: alternate rounds without and with an OpenTelemetry tracer provider global
 * (`@opentelemetry/api`'s own no-op, so nothing records either way), in one process: the A/B of
 * the core skipping spans when no SDK is registered, paired round by round on a busy machine.
 */
if (process.argv.includes('--telemetry-ab')) {
  const key = Symbol.for('opentelemetry.js.api.1');
  const globals = globalThis as unknown as Record<symbol, unknown>;
  const rounds2: Record<'none' | 'registered', number[]> = { none: [], registered: [] };
  for (let r = 0; r < rounds; r += 1) {
    const order =
      r % 2 === 0 ? (['none', 'registered'] as const) : (['registered', 'none'] as const);
    for (const side of order) {
      if (side === 'registered') globals[key] = { version: '1.10.0', trace: {} };
      else delete globals[key];
      rounds2[side].push(await round(sendsPerRound));
    }
  }
  delete globals[key];
  for (const [side, values] of Object.entries(rounds2)) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${side}: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} µs per send, rounds ${values.map((v) => v.toFixed(0)).join(' ')}`,
    );
  }
  await threadline.stop();
  process.exit(0);
}
const perSend: number[] = [];
for (let r = 0; r < rounds; r += 1) {
  const us = await round(sendsPerRound);
  perSend.push(us);
  console.log(
    `round ${r + 1}: ${us.toFixed(1)} µs CPU per send (${(1e6 / us).toFixed(0)} sends/CPU-s)`,
  );
}
const sorted = [...perSend].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] as number;
const best = sorted[0] as number;
// On a shared machine other work only adds to a round's CPU: the best round is the truest.
console.log(
  `median ${median.toFixed(1)} µs per send, best ${best.toFixed(1)} µs (${(1e6 / best).toFixed(0)} sends/CPU-s)`,
);
await threadline.stop();
