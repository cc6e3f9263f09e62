/**
 * One Threadline runtime in its own Node process, as a host would run it: a store, the WhatsApp
 * adapter against the parent's fake Graph API, the outbox poller, and (optionally) a webhook
 * server with an agent that replies (slowly, with `agentDelayMs`). The parent kills it with SIGKILL, or writes commands on stdin:
 *   bulk {phoneNumbers, concurrency}  runs templates.whatsapp.send, prints `bulk-done <summary>`
 *   start                          starts the runtime (with `startOnCommand`)
 *   stop                           stops the runtime, prints `stopped`, exits 0
 * Nothing here catches an unhandled rejection: if the runtime leaks one, the process dies and the
 * parent counts a crash.
 */
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { createThreadline, type ThreadStore } from '@threadline/core';
import { createPostgresStore } from '@threadline/store-postgres';
import { createRedisStore } from '@threadline/store-redis';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import { INSTANCE_CONFIG_ENV, type InstanceConfig } from '../src/instance-config';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN } from '../src/meta-webhooks';

const config = JSON.parse(process.env[INSTANCE_CONFIG_ENV] ?? '{}') as InstanceConfig;
const print = (line: string) => process.stdout.write(`${line}\n`);

const ahead = config.clockAheadMs ?? 0;
const clock = { now: () => Date.now() + ahead };

const store: ThreadStore & { close(): Promise<void> } =
  config.store.kind === 'postgres'
    ? createPostgresStore({
        connectionString: config.store.url,
        schema: config.store.schema,
        applicationName: config.instanceId,
        clock,
      })
    : createRedisStore({ url: config.store.url, keyPrefix: config.store.keyPrefix, clock });

const adapter = createWhatsAppCloudAdapter({
  phoneNumberId: PHONE_NUMBER_ID,
  accessToken: ACCESS_TOKEN,
  appSecret: APP_SECRET,
  verifyToken: VERIFY_TOKEN,
  baseUrl: config.graphUrl,
  rate: { perSecond: config.perSecond },
});

const threadline = createThreadline({
  store,
  adapters: [adapter],
  instanceId: config.instanceId,
  clock,
  telemetry: false,
  outbox: config.outbox,
  ...(config.inbound ? { inbound: config.inbound } : {}),
  jobs: { pollIntervalMs: 3_600_000 },
  onError: (error, context) =>
    print(`error ${context.phase} ${error instanceof Error ? error.message : String(error)}`),
  ...(config.reply
    ? {
        onMessage: async ({ message, thread, reply, attempt }) => {
          print(`agent ${attempt} ${message.text}`);
          const text = `re: ${message.text}`;
          // What AgentTurn.attempt is for: a killed instance may have answered before its turn was
          // marked done. The reply is in the thread from the moment it was written (with its
          // delivery, which the outbox sends), so it is not written again.
          const answered = thread.entries.some(
            (entry) =>
              entry.direction === 'outbound' && entry.seq > message.seq && entry.text === text,
          );
          if (attempt > 1 && answered) {
            print(`answered ${attempt} ${message.text}`);
            return;
          }
          if (config.agentDelayMs) await new Promise((r) => setTimeout(r, config.agentDelayMs));
          await reply(text);
          print(`replied ${attempt} ${message.text}`);
        },
      }
    : {}),
});

const input = createInterface({ input: process.stdin });
const commands = input[Symbol.asyncIterator]();
if (config.startOnCommand) {
  print('waiting');
  while ((await commands.next()).value !== 'start') {}
}
await threadline.start();
let port = 0;
if (config.serve) {
  const server = createServer(threadline.toNodeHandler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
}
print(`ready ${port}`);

for await (const line of { [Symbol.asyncIterator]: () => commands }) {
  if (line.startsWith('bulk ')) {
    const { phoneNumbers, concurrency } = JSON.parse(line.slice(5)) as {
      phoneNumbers: string[];
      concurrency: number;
    };
    const summary = await threadline.templates.whatsapp.send({
      from: adapter.id,
      template: { name: 'fault_bulk', languageCode: 'en_US' },
      phoneNumbers,
      concurrency,
    });
    print(
      `bulk-done ${JSON.stringify({ processed: summary.totalProcessed, errors: summary.totalErrors })}`,
    );
  } else if (line === 'stop') {
    await threadline.stop();
    await store.close();
    print('stopped');
    process.exit(0);
  }
}
