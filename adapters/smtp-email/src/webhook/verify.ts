import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AdapterContext } from '@threadline/core';

/**
 * The checks that make an inbound-parse webhook trustworthy: the provider's signature (Mailgun's
 * HMAC over `timestamp + token`, our own HMAC for raw MIME POSTs) or Basic auth (SendGrid Inbound
 * Parse and Postmark sign nothing, so the URL carries credentials), a timestamp window, and a
 * replay guard that remembers each signature once its request was processed.
 */

/** What a check found. */
export type WebhookCheck = 'valid' | 'missing' | 'mismatch' | 'stale';

function equalHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function fresh(timestamp: string, now: number, maxAgeSeconds: number): boolean {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && Math.abs(now / 1000 - seconds) <= maxAgeSeconds;
}

/**
 * Mailgun: `signature` is hex HMAC-SHA256 of `timestamp + token` with the webhook signing key.
 * Source: https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http
 *
 * @example
 * ```ts
 * checkMailgun(key, { timestamp: '1764669600', token: 'abc', signature: '…' }, Date.now(), 300); // 'valid'
 * ```
 */
export function checkMailgun(
  signingKey: string,
  fields: { timestamp?: string | null; token?: string | null; signature?: string | null },
  now: number,
  maxAgeSeconds: number,
): WebhookCheck {
  const { timestamp, token, signature } = fields;
  if (!timestamp || !token || !signature) return 'missing';
  const expected = createHmac('sha256', signingKey).update(`${timestamp}${token}`).digest('hex');
  if (!equalHex(signature, expected)) return 'mismatch';
  return fresh(timestamp, now, maxAgeSeconds) ? 'valid' : 'stale';
}

/** The header of a raw MIME POST: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`. */
export const RAW_SIGNATURE_HEADER = 'x-threadline-signature';

/**
 * Signs a raw MIME body for {@link checkRaw} (relays and tests use it).
 *
 * @example
 * ```ts
 * fetch(url, { method: 'POST', body: raw, headers: { [RAW_SIGNATURE_HEADER]: signRaw(secret, raw, Date.now()) } });
 * ```
 */
export function signRaw(secret: string, body: Uint8Array | string, now: number): string {
  const t = String(Math.floor(now / 1000));
  const mac = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Verifies {@link signRaw}'s header over the raw body. */
export function checkRaw(
  secret: string,
  header: string | null,
  body: Uint8Array,
  now: number,
  maxAgeSeconds: number,
): WebhookCheck {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (match === null) return header ? 'mismatch' : 'missing';
  const [, t, mac] = match as unknown as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
  if (!equalHex(mac, expected)) return 'mismatch';
  return fresh(t, now, maxAgeSeconds) ? 'valid' : 'stale';
}

/**
 * HTTP Basic credentials, compared in constant time (SendGrid and Postmark put them in the URL).
 * Source: https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook
 */
export function checkBasicAuth(
  header: string | null,
  credentials: { username: string; password: string },
): WebhookCheck {
  if (header === null || !/^basic /i.test(header)) return 'missing';
  const given = Buffer.from(header.slice(6).trim(), 'base64');
  const expected = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? 'valid'
    : 'mismatch';
}

/**
 * Refuses a signed request seen before. The key is claimed in the store (so every instance
 * agrees) and given back if processing fails, so the provider's retry of a failed request, which
 * carries the same signature, is processed rather than refused.
 */
export interface ReplayGuard {
  /** `false` when the signature was already used. */
  claim(signature: string): Promise<boolean>;
  release(signature: string): Promise<void>;
}

/** Signatures remembered in memory when the adapter has no store (it was never started). */
const LOCAL_REPLAY_MAX = 10_000;

/** Keys live as long as a signature is fresh, plus skew. */
export function createReplayGuard(
  context: () => AdapterContext | undefined,
  input: { adapterId: string; maxAgeSeconds: number },
): ReplayGuard {
  const local = new Set<string>();
  const ttl = input.maxAgeSeconds * 2 * 1000;
  const key = (signature: string) => `email-webhook:${input.adapterId}:${signature}`;
  return {
    async claim(signature) {
      const store = context()?.store;
      if (store !== undefined) return store.dedupe.claim(key(signature), ttl);
      if (local.has(signature)) return false;
      // Without a store (not started) the memory is bounded; stale signatures fail the time check anyway.
      if (local.size >= LOCAL_REPLAY_MAX) local.clear();
      local.add(signature);
      return true;
    },
    async release(signature) {
      local.delete(signature);
      await context()?.store.dedupe.release(key(signature));
    },
  };
}
