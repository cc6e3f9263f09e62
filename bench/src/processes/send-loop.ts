import http from 'node:http';
import { ACCESS_TOKEN, senderDigits } from '../fixtures/whatsapp';
import {
  createStore,
  createWhatsAppThreadline,
  MAX_RATE,
  openWindows,
} from '../fixtures/whatsapp-threadline';
import { countStatements } from '../statements';
import { type SendOne, serveTimedSends } from '../timed-sends';

export type { SendLoopResult } from '../timed-sends';

/**
 * B2's sender, one per child process: `raw` (a bare `fetch` loop POSTing what the adapter would),
 * `raw-http` (the same over `node:http`),
 * `raw-paced` (the same, spaced to the adapter's 1,000/s) or Threadline's `channels.send` on the
 * `memory` or `postgres` store. Each keeps `concurrency` sends in flight for `seconds` and reports
 * the sends completed and the CPU the process used, so a rate cap and an overhead can be told apart.
 *
 * argv: `<raw|raw-http|raw-paced|memory|postgres>[:numbers] <messagesUrl or baseUrl> [schema]`; `memory:4`
 * sends from four business numbers (one adapter each), spreading the users over them.
 */

/** Users whose window is open; sends go to them in turn. */
const RECIPIENTS = 100;
const TEXT = 'Your order 12345 has shipped and will arrive on Thursday.';

const [modeArg, url, schema] = process.argv.slice(2) as [string, string, string | undefined];
const [mode, numbersArg] = modeArg.split(':') as [string, string | undefined];
const numbers = numbersArg === undefined ? 1 : Number(numbersArg);

function body(index: number): string {
  return JSON.stringify({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: senderDigits(index % RECIPIENTS),
    type: 'text',
    text: { body: TEXT, preview_url: false },
  });
}

/**
 * The same POST over `node:http` with the global keep-alive agent: what the adapter's default
 * transport uses since it left `fetch`, so Threadline's cost can be read beside either client.
 */
function rawHttpSender(): SendOne {
  return (index) =>
    new Promise<void>((resolve, reject) => {
      const payload = body(index);
      const request = http.request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ACCESS_TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('error', reject);
        response.on('end', () => {
          const answer = JSON.parse(text) as { messages?: Array<{ id: string }> };
          if (response.statusCode !== 200 || !answer.messages?.[0]?.id)
            reject(new Error(`Graph answered ${response.statusCode}`));
          else resolve();
        });
      });
      request.end(payload);
    });
}

function rawSender(): SendOne {
  return async (index) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: body(index),
    });
    const answer = (await response.json()) as { messages?: Array<{ id: string }> };
    if (!response.ok || !answer.messages?.[0]?.id)
      throw new Error(`Graph answered ${response.status}`);
  };
}

/** Spaces calls `1000 / perSecond` ms apart, like any client honouring a rate. */
function paced(send: SendOne, perSecond: number): SendOne {
  const interval = 1_000 / perSecond;
  let nextSlot = performance.now();
  return async (index) => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    await send(index);
  };
}

async function threadlineSender(): Promise<SendOne> {
  const threadline = createWhatsAppThreadline({
    store: createStore(mode, schema),
    baseUrl: url,
    numbers,
  });
  await threadline.start();
  await openWindows(threadline, RECIPIENTS, numbers);
  return async (index) => {
    const result = await threadline.channels.send({
      channel: 'whatsapp',
      to: { phoneNumber: `+${senderDigits(index % RECIPIENTS)}` },
      text: TEXT,
    });
    if (!result.delivered) throw new Error(`send ended ${result.status}`);
  };
}

// Counted from before the store opens: the sends' statements are what the report shows.
const statements = mode === 'postgres' ? countStatements() : undefined;
const send =
  mode === 'raw'
    ? rawSender()
    : mode === 'raw-http'
      ? rawHttpSender()
      : mode === 'raw-paced'
        ? paced(rawSender(), MAX_RATE)
        : await threadlineSender();

serveTimedSends(`B2 ${mode}`, { mode }, send, statements);
