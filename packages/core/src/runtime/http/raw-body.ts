import type { IncomingMessage } from 'node:http';
import { ERROR_BRAND } from '../../errors/brand';
import { ThreadlineError } from '../../errors/threadline-error';

/** A webhook body the host already holds: what its framework kept of the request. */
export type RawBody = Uint8Array | ArrayBuffer | string;

const encoder = new TextEncoder();

/** The bytes of a raw body (a `Buffer` is a `Uint8Array` and is used as it is). */
export function rawBodyBytes(raw: RawBody): Uint8Array {
  if (typeof raw === 'string') return encoder.encode(raw);
  return raw instanceof Uint8Array ? raw : new Uint8Array(raw);
}

function isRawBody(value: unknown): value is RawBody {
  return typeof value === 'string' || value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** How to fix a consumed body, per edge; the error message carries it. */
const FIXES = {
  node:
    'mount threadline.toNodeHandler() before any body parser, or keep the raw bytes: ' +
    'express.raw({ type: "*/*" }) on the webhook path, express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }), ' +
    'or Fastify\'s addContentTypeParser with parseAs: "buffer" setting request.raw.rawBody. See docs/frameworks.md',
  fetch:
    'pass the Request before reading it (no request.json() or request.text() first), or pass the bytes you read: ' +
    'threadline.fetch(request, { rawBody }). See docs/frameworks.md',
} as const;

/**
 * A framework read the webhook body before Threadline could, and did not keep the raw bytes. The
 * provider's signature is computed over those exact bytes, so the event cannot be verified; the
 * answer is a `500` (the provider retries once the host is fixed) and this error names the fix.
 *
 * @example
 * ```ts
 * app.use(express.json()); // reads every body first…
 * app.use(threadline.toNodeHandler()); // …so this calls next(BodyConsumedError)
 * ```
 */
export class BodyConsumedError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'BodyConsumedError';
  override name = 'BodyConsumedError';

  constructor(edge: keyof typeof FIXES, what: string) {
    super(
      `The webhook body was already read (${what}), so its signature cannot be checked: ${FIXES[edge]}`,
      {
        code: 'body_consumed',
        category: 'config',
      },
    );
  }
}

/**
 * The body of a Node request that something else may have read: `request.rawBody` (Express
 * `verify`, Fastify raw-body plugins, Next.js pages API), else a `Buffer`/string `request.body`
 * (`express.raw`, `express.text`). `undefined` when the stream is untouched (read it), and a
 * {@link BodyConsumedError} when the stream was read and no raw bytes were kept.
 */
export function keptNodeBody(request: IncomingMessage): Uint8Array | undefined {
  const kept = request as IncomingMessage & { rawBody?: unknown; body?: unknown };
  if (isRawBody(kept.rawBody)) return rawBodyBytes(kept.rawBody);
  if (isRawBody(kept.body)) return rawBodyBytes(kept.body);
  const consumed = request.readableEnded || request.readableDidRead;
  if (!consumed) return undefined;
  const declared = Number(request.headers['content-length'] ?? '0');
  if (
    kept.body === undefined &&
    declared === 0 &&
    request.headers['transfer-encoding'] === undefined
  ) {
    return new Uint8Array(0);
  }
  const what =
    kept.body === undefined
      ? 'the request stream has ended'
      : `request.body is a parsed ${typeof kept.body}`;
  throw new BodyConsumedError('node', what);
}
