import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RELAY_BUTTON_DATA_MAX_BYTES, RELAY_TEXT_MAX_LENGTH } from './capabilities';
import type { RelayMessage } from './send';
import { RELAY_SECRET_HEADER, type RelayUpdate } from './webhook';

/** A programmed failure: the next `sendMessage` answers with this error. */
export interface FakeFailure {
  httpStatus: number;
  errorCode: number;
  description: string;
  retryAfter?: number;
  /** Let this many calls succeed before failing (part 2 of a split message). Default 0. */
  after?: number;
  /** Answer this instead of Relay's JSON error (a proxy's HTML page). */
  rawBody?: string;
  /** Close the connection without answering (a network failure). */
  hangUp?: boolean;
}

/**
 * A local stand-in for the Relay API, so the example runs with no account: it takes
 * `sendMessage` calls (recording them), can fail on demand, and posts updates to a webhook.
 */
export interface FakeRelay {
  readonly url: string;
  readonly received: RelayMessage[];
  failNext(failure: FakeFailure): void;
  /** Posts an update to `webhookUrl` as Relay would, with the secret header. */
  deliver(update: RelayUpdate): Promise<Response>;
  close(): Promise<void>;
}

/** Half of a character outside the BMP: what a cut by UTF-16 units leaves of an emoji. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why the real API would answer 400 to this message, as Telegram does: an empty or over-long text,
 * a quoted message id that is not one, or button data that is empty, over 64 bytes or not valid UTF-8. A fake that took these would
 * let an adapter pass that the real API refuses.
 */
function badRequest(message: RelayMessage): string | undefined {
  if (message.text.trim() === '') return 'Bad Request: message text is empty';
  if (message.text.length > RELAY_TEXT_MAX_LENGTH) return 'Bad Request: message is too long';
  const quoted = message.reply_to_message_id;
  if (quoted !== undefined && !Number.isInteger(quoted)) {
    return 'Bad Request: message to be replied not found';
  }
  for (const button of message.reply_markup?.inline_keyboard.flat() ?? []) {
    const data = button.callback_data;
    const bytes = Buffer.byteLength(data, 'utf8');
    if (bytes < 1 || bytes > RELAY_BUTTON_DATA_MAX_BYTES || LONE_SURROGATE.test(data)) {
      return 'Bad Request: BUTTON_DATA_INVALID';
    }
  }
  return undefined;
}

export async function startFakeRelay(options: {
  botToken: string;
  webhookSecret: string;
  webhookUrl?: string;
}): Promise<FakeRelay> {
  const received: RelayMessage[] = [];
  const failures: FakeFailure[] = [];
  let nextId = 100;
  const server: Server = createServer((request, response) => {
    // Decoded once at the end: a chunk boundary may fall inside a multi-byte character.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      response.setHeader('content-type', 'application/json');
      if (request.url !== `/bot${options.botToken}/sendMessage`) {
        response.statusCode = 404;
        response.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      const failure = failures[0];
      if (failure !== undefined && (failure.after ?? 0) > 0)
        failure.after = (failure.after ?? 0) - 1;
      else if (failure !== undefined) {
        failures.shift();
        if (failure.hangUp) return void request.socket.destroy();
        response.statusCode = failure.httpStatus;
        if (failure.rawBody !== undefined) {
          response.setHeader('content-type', 'text/html');
          return void response.end(failure.rawBody);
        }
        response.end(
          JSON.stringify({
            ok: false,
            error_code: failure.errorCode,
            description: failure.description,
            ...(failure.retryAfter === undefined
              ? {}
              : { parameters: { retry_after: failure.retryAfter } }),
          }),
        );
        return;
      }
      // Like Telegram, Relay reads a JSON body only when it is declared as JSON.
      if (!request.headers['content-type']?.startsWith('application/json')) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({
            ok: false,
            error_code: 400,
            description: 'Bad Request: message text is empty',
          }),
        );
        return;
      }
      const message = JSON.parse(body) as RelayMessage;
      const refused = badRequest(message);
      if (refused !== undefined) {
        response.statusCode = 400;
        response.end(JSON.stringify({ ok: false, error_code: 400, description: refused }));
        return;
      }
      received.push(message);
      response.end(
        JSON.stringify({
          ok: true,
          result: { message_id: nextId++, chat: { id: message.chat_id } },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeRelay & { webhookUrl?: string } = {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (failure) => failures.push(failure),
    deliver(update) {
      if (!options.webhookUrl)
        throw new Error('startFakeRelay: give webhookUrl to deliver updates');
      return fetch(options.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [RELAY_SECRET_HEADER]: options.webhookSecret,
        },
        body: JSON.stringify(update),
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}
