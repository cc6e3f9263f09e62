import { parseOptions, THREAD_READ_MAX_LIMIT } from '@threadline/core';
import { z } from 'zod';
import { DEFAULT_KEY_SET_ALGORITHMS } from './auth/token';

/**
 * `ws` accepts frames up to 100 MiB by default; a chat message is a few hundred bytes, so anything
 * near 64 KiB is a mistake or an attack. ws closes an oversize frame's socket with 1009.
 * Source: https://github.com/websockets/ws/blob/master/doc/ws.md (maxPayload).
 */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024;

/** 20–30 s keeps idle sockets alive through proxies that drop them after 60 s (ws README recipe). */
export const DEFAULT_HEARTBEAT_MS = 30_000;

/** Anonymous visitors keep their identity for 30 days of not coming back. */
export const DEFAULT_ANONYMOUS_TTL_SECONDS = 30 * 24 * 3600;

/** The environment variable read when `secret` is not given. */
export const SECRET_ENV = 'THREADLINE_WEBCHAT_SECRET';

/** HS256 keys shorter than the hash (32 bytes) weaken it (RFC 7518 §3.2). */
const Secret = z.string().min(32, 'use at least 32 characters (RFC 7518 §3.2)');

const KeySetChecks = {
  /** The `aud` the host's tokens carry. Default `threadline:webchat`. */
  audience: z.string().min(1).optional(),
  /** The `iss` the host's tokens must carry (its identity provider), when given. */
  issuer: z.string().min(1).optional(),
  algorithms: z
    .array(z.enum(['RS256', 'ES256', 'EdDSA']))
    .min(1)
    .default([...DEFAULT_KEY_SET_ALGORITHMS]),
};

/**
 * The host's own signing keys, for RS256/ES256/EdDSA visitor tokens: a JWKS URL (fetched and
 * cached by `jose`'s `createRemoteJWKSet`, refetched for an unknown `kid`) or the key set itself.
 */
const JwksSchema = z.union([
  z.strictObject({ url: z.string().url(), ...KeySetChecks }),
  z.strictObject({
    keys: z.array(z.record(z.string(), z.unknown())).min(1, 'give at least one public key'),
    ...KeySetChecks,
  }),
]);

export const WebChatAdapterOptionsSchema = z
  .strictObject({
    /** The adapter's id in the runtime (and in deliveries). */
    id: z.string().min(1).default('webchat'),
    /**
     * Signs and verifies visitor tokens. Several secrets rotate keys: the first signs, all verify.
     * Defaults to the `THREADLINE_WEBCHAT_SECRET` environment variable.
     */
    secret: z.union([Secret, z.array(Secret).min(1)]).optional(),
    /** Verify RS256/ES256/EdDSA tokens against the host's keys (with or without a `secret`). */
    jwks: JwksSchema.optional(),
    /** Let visitors without a token in: each gets an anonymous identity (and a user) of their own. */
    allowAnonymous: z.boolean().default(false),
    /** How long an anonymous visitor's token (kept by the widget) stays valid. */
    anonymousTokenTtlSeconds: z.number().int().positive().default(DEFAULT_ANONYMOUS_TTL_SECONDS),
    /** The agent whose thread is replayed; defaults to the runtime's (`AdapterContext.agentId`). */
    agentId: z.string().min(1).optional(),
    /** The URL path sockets connect to; other upgrade requests are left to other handlers. */
    path: z.string().startsWith('/').default('/webchat'),
    /** Largest client frame in bytes; bigger closes the socket with 1009. */
    maxPayload: z.number().int().positive().default(DEFAULT_MAX_PAYLOAD),
    /** Longest text of one client message, in characters. */
    maxTextLength: z.number().int().positive().default(4000),
    /** Frames per connection: a bucket of `burst` frames refilled at `perSecond`. Over it: 4429. */
    rate: z
      .object({
        burst: z.number().int().positive().default(20),
        perSecond: z.number().positive().default(5),
      })
      .prefault({}),
    /** Open sockets per user on one server instance (tabs, devices). One more is closed with 4409. */
    maxConnectionsPerUser: z.number().int().positive().default(10),
    /** Protocol pings every this many ms; a socket that missed one is terminated. */
    heartbeatIntervalMs: z.number().int().positive().default(DEFAULT_HEARTBEAT_MS),
    /** Entries sent to a client that connects without `lastSeq` (the recent history). */
    historyLimit: z.number().int().positive().max(THREAD_READ_MAX_LIMIT).default(50),
    /** Most entries replayed to a reconnecting client; a bigger gap resets it to the latest ones. */
    replayLimit: z.number().int().positive().max(THREAD_READ_MAX_LIMIT).default(500),
    /** Browser origins allowed to connect (`https://example.com`); absent allows any. Others: 403. */
    allowedOrigins: z.array(z.string().min(1)).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.secret === undefined && options.jwks === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: `give a secret (or set ${SECRET_ENV}), or jwks`,
      });
    }
    if (options.secret === undefined && options.allowAnonymous) {
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: 'allowAnonymous needs a secret to sign visitor tokens',
      });
    }
  });

/** Options of {@link createWebChatAdapter} as the host writes them. */
export type WebChatAdapterOptions = Omit<z.input<typeof WebChatAdapterOptionsSchema>, 'secret'> & {
  secret?: string | string[];
};
/** Options after defaults. */
export type ResolvedWebChatOptions = z.output<typeof WebChatAdapterOptionsSchema>;

/** Validates the options (filling `secret` from the environment when absent). */
export function resolveOptions(input: WebChatAdapterOptions): ResolvedWebChatOptions {
  const fromEnv = process.env[SECRET_ENV];
  const withSecret =
    input?.secret === undefined && fromEnv !== undefined ? { ...input, secret: fromEnv } : input;
  return parseOptions(WebChatAdapterOptionsSchema, withSecret, 'createWebChatAdapter');
}
