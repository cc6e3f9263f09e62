/**
 * A webhook request whose body has already been read, under the size cap. Both edges produce one:
 * `threadline.fetch` from a Web `Request`, `toNodeHandler` straight from `node:http`'s
 * `IncomingMessage`, so a request served by Node is turned into exactly one Web `Request` (the one
 * handed to the adapter), not one per layer.
 */
export interface IncomingWebhook {
  /** The absolute URL the request reached. */
  url: URL;
  method: string;
  headers: Headers;
  /** The raw body bytes, untouched: signatures are computed over them. */
  body: Uint8Array;
}

/** An empty body, shared: GET handshakes and bodiless requests need no allocation. */
export const EMPTY_BODY = new Uint8Array(0);

/**
 * Concatenates chunks that were read under a cap into one byte array. One chunk (the usual case
 * for a webhook of a few KB) is returned as it is.
 */
export function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Reads at most `limit` bytes of a Web body; `null` when it is longer (the reader stops there). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return EMPTY_BODY;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return joinChunks(chunks, size);
}
