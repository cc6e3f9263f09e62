import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type VisitorIdentity, type VisitorTokenKeys, verifyVisitorToken } from '../auth/token';
import { VisitorTokenError } from '../errors';
import type { ResolvedWebChatOptions } from '../options';

/** The outcome of checking an upgrade request. */
export type UpgradeDecision =
  | { ok: true; identity: VisitorIdentity; lastSeq?: number; newAnonymous: boolean }
  | { ok: false; status: 400 | 401 | 403; message: string };

/** A `Bearer` token from the `Authorization` header (Node clients; browsers cannot set it). */
function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** `lastSeq` from the query, when it is a non-negative integer; anything else means "none". */
function lastSeqOf(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Decides whether an upgrade request may become a socket, before any WebSocket exists: the
 * origin (when restricted), then the visitor token from `?token=` or `Authorization: Bearer`.
 * Browsers cannot set headers on `new WebSocket()`, so the query carries it; tokens are
 * short-lived, which limits what a logged URL gives away. Without a token, anonymous mode makes
 * a new visitor.
 */
export async function decideUpgrade(
  request: IncomingMessage,
  url: URL,
  input: { options: ResolvedWebChatOptions; keys: VisitorTokenKeys; now: number },
): Promise<UpgradeDecision> {
  const { options, keys, now } = input;
  const origin = request.headers.origin;
  if (options.allowedOrigins !== undefined && origin !== undefined) {
    if (!options.allowedOrigins.includes(origin)) {
      return { ok: false, status: 403, message: 'origin not allowed' };
    }
  }
  const lastSeq = lastSeqOf(url.searchParams.get('lastSeq'));
  const withSeq = lastSeq === undefined ? {} : { lastSeq };
  const token = url.searchParams.get('token') || bearer(request.headers.authorization);
  if (!token) {
    if (!options.allowAnonymous) return { ok: false, status: 401, message: 'missing token' };
    const identity: VisitorIdentity = {
      address: `anon:${randomUUID()}`,
      expiresAt: now + options.anonymousTokenTtlSeconds * 1000,
      anonymous: true,
    };
    // A new visitor has no history, whatever lastSeq the client sent.
    return { ok: true, identity, newAnonymous: true };
  }
  try {
    const identity = await verifyVisitorToken(token, keys, { now });
    if (identity.anonymous && !options.allowAnonymous) {
      return { ok: false, status: 401, message: 'anonymous visitors are not allowed' };
    }
    return { ok: true, identity, ...withSeq, newAnonymous: false };
  } catch (error) {
    if (error instanceof VisitorTokenError) {
      return { ok: false, status: 401, message: `token ${error.problem}` };
    }
    throw error;
  }
}

/**
 * Answers an upgrade request with a plain HTTP error and closes the socket: no WebSocket is ever
 * created for it (the same as `ws`'s own `abortHandshake`).
 */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(message)}\r\n` +
      '\r\n' +
      message,
  );
}
