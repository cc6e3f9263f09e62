import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The largest request body the emulators read. Meta's own ceiling is 100 MB for documents; a local
 * emulator has no need to hold that much in memory, and a bigger body is refused with 413.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The body was larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Reads a request body as raw bytes. Raw, because webhook signatures and multipart parsing both
 * need the exact bytes, not a re-serialised copy.
 *
 * @example
 * ```ts
 * const raw = await readBody(req);
 * const json = JSON.parse(raw.toString('utf8'));
 * ```
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`Request body is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Answers with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Answers with bytes of the given content type (HTML pages, media downloads, plain text). */
export function sendBytes(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.byteLength });
  res.end(bytes);
}
