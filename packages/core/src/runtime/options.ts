import { z } from 'zod';
import type { ChannelAdapter } from '../adapter/contract';
import { CapabilitiesSchema } from '../capabilities/schema';
import { isPhoneRegion, type PhoneRegion } from '../message/address';
import type { ThreadStore } from '../store/thread-store';
import type { Clock } from '../time/clock';
import type { Logger } from '../time/logger';
import { GROUP_COMMIT_DEFAULT_MAX } from './group-commit';
import type { AgentTurn } from './inbound/turn';

/** What the host is told when something fails outside a caller's reach (an agent turn, a retry). */
export interface ErrorContext {
  phase: 'agent' | 'inbound' | 'dispatch' | 'job' | 'listener';
  userId?: string;
  threadId?: string;
  deliveryId?: string;
  jobId?: string;
  /** The adapter that reported the failure (`AdapterContext.reportError`). */
  adapterId?: string;
}

const STORE_PARTS = [
  'users',
  'identities',
  'threads',
  'dedupe',
  'deliveries',
  'held',
  'consent',
  'leases',
  'jobs',
  'privacy',
] as const;

const storeSchema = z.custom<ThreadStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    STORE_PARTS.every((part) => typeof (value as Record<string, unknown>)[part] === 'object'),
  { message: `expected a ThreadStore (an object with ${STORE_PARTS.join(', ')})` },
);

const adapterSchema = z.custom<ChannelAdapter>(
  (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const adapter = value as Partial<ChannelAdapter>;
    return (
      typeof adapter.id === 'string' &&
      adapter.id.length > 0 &&
      typeof adapter.channel === 'string' &&
      typeof adapter.send === 'function' &&
      CapabilitiesSchema.safeParse(adapter.capabilities).success
    );
  },
  { message: 'expected a ChannelAdapter (id, channel, valid capabilities, send)' },
);

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${what}` });

/** The URL path segment an adapter id becomes: keep it URL-safe so webhook routes are predictable. */
const ADAPTER_ID_PATTERN = /^[A-Za-z0-9._~-]+$/;

/** Validated options of {@link createThreadline}. See `ThreadlineOptions` for each field. */
export const ThreadlineOptionsSchema = z.object({
  store: storeSchema,
  adapters: z.array(adapterSchema).superRefine((adapters, ctx) => {
    const seen = new Set<string>();
    adapters.forEach((adapter, index) => {
      if (!ADAPTER_ID_PATTERN.test(adapter.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `adapter id ${JSON.stringify(adapter.id)} must be URL-safe (letters, digits, . _ ~ -)`,
        });
      }
      if (seen.has(adapter.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicate adapter id ${JSON.stringify(adapter.id)}`,
        });
      }
      seen.add(adapter.id);
    });
  }),
  agentId: z.string().min(1).default('default'),
  /**
   * Where national phone numbers were dialled from (ISO 3166-1 alpha-2: `GB`, `US`), so a host's
   * `202-555-0143` is read as `+12025550143`. Without it, phone numbers must start with `+`.
   */
  defaultRegion: z
    .custom<PhoneRegion>((value) => typeof value === 'string' && isPhoneRegion(value), {
      message:
        'expected an ISO 3166-1 alpha-2 region code that has phone numbers, e.g. "GB" or "US"',
    })
    .optional(),
  onMessage: fn<(turn: AgentTurn) => unknown>('a function (turn) => …').optional(),
  onError: fn<(error: unknown, context: ErrorContext) => void>(
    'a function (error, context) => void',
  ).optional(),
  logger: z
    .custom<Logger>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['debug', 'info', 'warn', 'error'].every(
          (level) => typeof (value as Record<string, unknown>)[level] === 'function',
        ),
      { message: 'expected a logger with debug, info, warn and error methods' },
    )
    .optional(),
  clock: z
    .custom<Clock>(
      (value) =>
        typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
      {
        message: 'expected a clock with a now() method',
      },
    )
    .optional(),
  /**
   * Traces and metrics through `@opentelemetry/api` when the host installed it (an optional peer;
   * spans go wherever the host's OpenTelemetry SDK sends them). `false` turns them off.
   */
  telemetry: z.boolean().default(true),
  /** Names this process in leases; unique per instance. */
  instanceId: z.string().min(1).optional(),
  webhooks: z
    .object({
      basePath: z.string().startsWith('/').default('/webhooks'),
      maxBodyBytes: z.number().int().positive().default(1_048_576),
      publicBaseUrl: z.string().url().optional(),
    })
    .prefault({}),
  inbound: z
    .object({
      /** Meta retries a webhook for up to 7 days; a shorter dedupe window would let a late retry through. */
      dedupeTtlMs: z
        .number()
        .int()
        .positive()
        .default(7 * 24 * 3_600_000),
      /** How many recent entries an agent turn gets in `thread.entries`. */
      historyLimit: z.number().int().positive().max(1000).default(50),
      turnLeaseMs: z.number().int().positive().default(60_000),
      /**
       * How often (ms) this instance looks for durable turns (`store.turns`) whose instance died:
       * a turn is taken over once its lease (`turnLeaseMs`) has run out. Off without `onMessage`
       * or a store without `turns`.
       */
      turnPollIntervalMs: z.number().int().positive().default(5_000),
      /**
       * Attempts at a durable turn before it is given up and reported as a `DeadTurnError`. An
       * attempt that called the agent ends the turn whether or not the agent threw (it would
       * otherwise answer twice); only an instance that died, or a store that failed before the
       * agent was called, leaves the turn to be tried again.
       */
      maxTurnAttempts: z.number().int().positive().default(3),
      /**
       * Failed attempts at recording one provider message before it becomes a dead letter and
       * the provider is answered 2xx (a poison message would otherwise fail on every retry, for
       * 7 days on Meta). Needs a store with `deadLetters`.
       */
      maxAttempts: z.number().int().positive().default(5),
      /**
       * The most inbound messages recorded together (group commit) when the store offers
       * `inbound.recordMany`: webhooks that reach the record in one tick share one write. 1 records
       * each alone.
       */
      groupCommitMax: z.number().int().positive().max(1_000).default(GROUP_COMMIT_DEFAULT_MAX),
      /**
       * Waits (ms) between lookups of a receipt whose delivery is not known yet: a fast receipt
       * can overtake the record of the send's response. After the last, `receipt.unmatched`.
       */
      receiptRetryDelaysMs: z
        .array(z.number().int().nonnegative())
        .max(20)
        .default([100, 400, 1_500, 5_000]),
    })
    .prefault({}),
  outbox: z
    .object({
      maxAttempts: z.number().int().positive().default(6),
      baseDelayMs: z.number().int().positive().default(1_000),
      maxDelayMs: z
        .number()
        .int()
        .positive()
        .default(5 * 60_000),
      leaseMs: z.number().int().positive().default(30_000),
      pollIntervalMs: z.number().int().positive().default(1_000),
      sendTimeoutMs: z.number().int().positive().default(30_000),
      batchSize: z.number().int().positive().default(50),
      /**
       * The most deliveries written together (group commit) when the store offers
       * `deliveries.createMany` (and `completeMany`, and the most recipients read together with
       * `outbound.recipientMany`, and the most addresses a bulk send reads together with
       * `consent.isOptedOutMany` and `identities.getMany`): sends issued in one tick share one
       * call. 1 makes each alone.
       */
      groupCommitMax: z.number().int().positive().max(1_000).default(GROUP_COMMIT_DEFAULT_MAX),
      /**
       * Claimed deliveries attempted at once by one instance. The poller claims more as attempts
       * finish, so one hanging provider call holds one slot, not every other due delivery.
       */
      concurrency: z.number().int().positive().max(10_000).default(100),
      /**
       * Waits (ms) between tries to record a send the provider already took. The provider is not
       * called again, so a short database outage must not become a second message.
       */
      recordRetryDelaysMs: z
        .array(z.number().int().nonnegative())
        .max(20)
        .default([50, 200, 800, 2_000, 4_000]),
    })
    .prefault({}),
  jobs: z
    .object({
      pollIntervalMs: z.number().int().positive().default(1_000),
      leaseMs: z
        .number()
        .int()
        .positive()
        .default(5 * 60_000),
    })
    .prefault({}),
  /** Random source for backoff jitter; injectable so tests are deterministic. */
  random: fn<() => number>('a function returning a number in [0, 1)').optional(),
});

/** Options of {@link createThreadline} as the host writes them. */
export type ThreadlineOptions = z.input<typeof ThreadlineOptionsSchema>;
/** Options after validation and defaults. */
export type ResolvedThreadlineOptions = z.output<typeof ThreadlineOptionsSchema>;
