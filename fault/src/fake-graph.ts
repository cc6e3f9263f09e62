import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * An in-process stand-in for Meta's Graph API `POST /{version}/{phone-number-id}/messages`: it
 * answers each message with a new `wamid` and counts what it received, keyed by what identifies
 * one message of a scenario (the recipient for a bulk, the text for a reply), so lost and
 * duplicated messages are measured where they matter, at the provider.
 */
export interface FakeGraph {
  readonly url: string;
  /** How many times each key arrived. */
  readonly received: Map<string, number>;
  /** Requests being answered right now (in flight). */
  readonly inFlight: number;
  /** Total requests answered. */
  readonly total: number;
  /** Keys that arrived more than once, summed as extra copies. */
  duplicates(): number;
  close(): Promise<void>;
}

/** What a Graph message body is counted by. */
export type MessageKey = (body: GraphMessageBody) => string;

/** The fields of a Graph `messages` body the scenarios key on. */
export interface GraphMessageBody {
  to?: string;
  type?: string;
  text?: { body?: string };
  template?: { name?: string };
}

/** The recipient: one message per number (bulk and scheduled sends). */
export const byRecipient: MessageKey = (body) => String(body.to);
/** The text: one message per distinct text (agent replies, paced sends). */
export const byText: MessageKey = (body) => `${body.to}:${body.text?.body ?? body.template?.name}`;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGraph(
  options: { key?: MessageKey; latencyMs?: number } = {},
): Promise<FakeGraph> {
  const key = options.key ?? byRecipient;
  const received = new Map<string, number>();
  let inFlight = 0;
  let total = 0;
  let nextId = 1;
  const server: Server = createServer(async (request, response) => {
    inFlight += 1;
    try {
      const text = await readBody(request);
      const body = JSON.parse(text || '{}') as GraphMessageBody & { status?: string };
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      // Read receipts and typing indicators are not messages.
      if (request.url?.endsWith('/messages') && body.status === undefined) {
        const k = key(body);
        received.set(k, (received.get(k) ?? 0) + 1);
        total += 1;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.FAULT${nextId++}` }],
        }),
      );
    } finally {
      inFlight -= 1;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get inFlight() {
      return inFlight;
    },
    get total() {
      return total;
    },
    duplicates: () => [...received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
