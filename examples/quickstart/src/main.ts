import { DEFAULT_PORT, DEMO_USER } from './config';
import { startDemo } from './demo';

/**
 * `pnpm demo`: starts the demo and prints where to look. PORT (default 3000), DATABASE_URL
 * (PostgreSQL instead of PGlite), REDIS_URL (Redis instead of PGlite) and THREADLINE_DATA_DIR (default `.threadline`, relative to
 * examples/quickstart) configure it. Ctrl-C stops it cleanly; the next start finds every thread.
 */
const started = performance.now();
const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({
    port,
    ...(process.env.THREADLINE_DATA_DIR ? { dataDir: process.env.THREADLINE_DATA_DIR } : {}),
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    log: (line) => console.log(line),
  });
} catch (error) {
  console.error(`The demo could not start: ${(error as Error).message}`);
  process.exit(1);
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
Threadline demo running (started in ${seconds} s)
  store: ${demo.storeDescription}

  All channels    ${demo.url}
  Web chat        ${demo.chatUrl}
${demo.channelPages.map((page) => `  ${page.title.padEnd(15)} ${page.url}`).join('\n')}
  Inspector       ${demo.inspectorUrl}

You are ${DEMO_USER.displayName} (user ${DEMO_USER.id}, ${DEMO_USER.phoneNumber}) on every channel: one user, one thread.
Try: say "hi" in the web chat, then "what did I say?" from the phone; ask for "the menu" or
"remind me"; on the inspector, send proactively on each channel, skip 25 hours, send again.
Ctrl-C stops the demo; the next start finds every thread.
`);

let stopping = false;
async function shutdown(signal: string) {
  // pnpm passes the terminal's Ctrl-C on to the demo as well, so one key press can arrive twice:
  // a repeated signal does not cut the clean stop short (the watchdog below does, if it hangs).
  if (stopping) return;
  stopping = true;
  const since = performance.now();
  console.log(`\n${signal}: stopping…`);
  setTimeout(() => {
    console.error('Could not stop within 10 s; exiting.');
    process.exit(1);
  }, 10_000).unref();
  await demo.stop();
  console.log(
    `Stopped in ${Math.round(performance.now() - since)} ms. Data kept in ${demo.dataDir}`,
  );
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
