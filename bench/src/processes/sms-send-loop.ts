import { createThreadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createTwilioSmsAdapter } from '@threadline/twilio-sms';
import twilio from 'twilio';
import { type SendOne, serveTimedSends } from '../timed-sends';

/**
 * B6's sender, one per child process: `raw` (twilio-node's own client and transport, its host
 * pointed at the emulator, creating messages in a loop) or `threadline` (`channels.send` to SMS
 * through `@threadline/twilio-sms`, memory store). Each keeps `concurrency` sends in flight for
 * `seconds` and reports the sends completed and the CPU the process used.
 *
 * argv: `<raw|threadline> <emulator url> <account sid> <auth token> <from>`
 */

const RECIPIENTS = 100;
const TEXT = 'Your order 12345 has shipped and will arrive on Thursday.';
const [mode, url, accountSid, authToken, from] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const recipient = (index: number) => `+1555867${String(index % RECIPIENTS).padStart(4, '0')}`;

/** twilio-node's default transport (axios), with only the host swapped for the emulator's. */
class EmulatorRequestClient extends twilio.RequestClient {
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0]) {
    opts.uri = opts.uri.replace('https://api.twilio.com', url);
    return super.request<TData>(opts as never);
  }
}

function rawSender(): SendOne {
  const client = twilio(accountSid, authToken, {
    httpClient: new EmulatorRequestClient({ keepAlive: true }),
  });
  return async (index) => {
    const message = await client.messages.create({ to: recipient(index), from, body: TEXT });
    if (!message.sid) throw new Error('no SID');
  };
}

async function threadlineSender(): Promise<SendOne> {
  const sms = createTwilioSmsAdapter({
    id: 'sms',
    accountSid,
    authToken,
    from,
    baseUrl: url,
    // Far above what either loop reaches here (the raw one does 1,400–1,900/s): the pacer must not
    // be what is measured. At 1,000/s it capped Threadline below 70 % of a faster raw loop.
    rate: { perSecond: 10_000 },
  });
  const threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [sms],
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
  });
  await threadline.start();
  return async (index) => {
    const result = await threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: recipient(index) },
      text: TEXT,
    });
    if (!result.delivered) throw new Error(`send ended ${result.status}`);
  };
}

const send = mode === 'raw' ? rawSender() : await threadlineSender();

serveTimedSends(`B6 ${mode}`, { mode }, send);
