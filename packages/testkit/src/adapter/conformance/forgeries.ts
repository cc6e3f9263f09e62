/**
 * Forged variants of a valid webhook request, derived by the conformance suite so every adapter
 * is attacked the same way whatever its signature scheme.
 */

/** A request taken apart once, since its body can be read only once. */
export interface RequestParts {
  url: string;
  method: string;
  headers: Headers;
  body: Uint8Array;
}

/** Reads a request into {@link RequestParts}. */
export async function takeApart(request: Request): Promise<RequestParts> {
  return {
    url: request.url,
    method: request.method,
    headers: new Headers(request.headers),
    body: new Uint8Array(await request.arrayBuffer()),
  };
}

/** A new request from parts, optionally with other headers or another body. */
export function rebuild(
  parts: RequestParts,
  changes: { headers?: Headers; body?: Uint8Array } = {},
): Request {
  const body = changes.body ?? parts.body;
  const hasBody = parts.method !== 'GET' && parts.method !== 'HEAD';
  return new Request(parts.url, {
    method: parts.method,
    headers: changes.headers ?? parts.headers,
    ...(hasBody ? { body } : {}),
  });
}

/** The request without `header`. */
export function withoutHeader(parts: RequestParts, header: string): Request {
  const headers = new Headers(parts.headers);
  headers.delete(header);
  return rebuild(parts, { headers });
}

/** The request with `header` replaced by `value`. */
export function withHeader(parts: RequestParts, header: string, value: string): Request {
  const headers = new Headers(parts.headers);
  headers.set(header, value);
  return rebuild(parts, { headers });
}

const DIGIT = /[0-9]/;
const LETTER = /[A-Za-z]/;

/** The next character of the same class: `0→1`, `9→0`, `a→b`, `z→a`, `Z→A`. */
function shifted(char: string): string {
  if (DIGIT.test(char)) return String((Number(char) + 1) % 10);
  const code = char.charCodeAt(0);
  if (char === 'z') return 'a';
  if (char === 'Z') return 'A';
  return String.fromCharCode(code + 1);
}

/**
 * Changes one byte of the body, keeping the signature header: the letter or digit nearest the
 * middle becomes the next one of its class, so the body still parses (JSON stays JSON, a form stays
 * a form) and only the signature can tell. A body with no letter or digit gets its middle byte
 * flipped.
 *
 * @throws Error when the body is empty: there is nothing to tamper with.
 */
export function tamperedBody(parts: RequestParts): Uint8Array {
  const body = new Uint8Array(parts.body);
  if (body.length === 0) {
    throw new Error('The valid webhook request has an empty body: nothing to tamper with');
  }
  const middle = Math.floor(body.length / 2);
  for (let distance = 0; distance <= middle + 1; distance += 1) {
    for (const index of [middle + distance, middle - distance]) {
      const byte = body[index];
      if (byte === undefined) continue;
      const char = String.fromCharCode(byte);
      if (DIGIT.test(char) || LETTER.test(char)) {
        body[index] = shifted(char).charCodeAt(0);
        return body;
      }
    }
  }
  body[middle] = (body[middle] ?? 0) ^ 1;
  return body;
}

/** The request with one body byte changed ({@link tamperedBody}) and every header kept. */
export function withTamperedBody(parts: RequestParts): Request {
  return rebuild(parts, { body: tamperedBody(parts) });
}
