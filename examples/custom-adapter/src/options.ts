import { parseOptions } from '@threadline/core';
import { z } from 'zod';

const OptionsSchema = z
  .object({
    /** The adapter id: the webhook route is `/webhooks/<id>`. */
    id: z.string().min(1).default('relay'),
    /** The bot token the provider issued; it is part of every API URL (as Telegram's is). */
    botToken: z.string().min(10, 'botToken looks too short to be a bot token'),
    /** The secret the provider echoes in `X-Relay-Bot-Api-Secret-Token` on every webhook. */
    webhookSecret: z.string().min(16, 'webhookSecret needs at least 16 characters'),
    /** The API's base URL; a local fake in tests and the example. */
    baseUrl: z.url().default('https://api.relay.example'),
    /** Abort a provider call after this long; the core's outbox retries it. */
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** Options of {@link createRelayAdapter}. */
export type RelayAdapterOptions = z.input<typeof OptionsSchema>;
export type ResolvedRelayOptions = z.output<typeof OptionsSchema>;

/** Validates options once, at construction; a bad one is a ConfigError that names it. */
export function resolveOptions(input: RelayAdapterOptions): ResolvedRelayOptions {
  return parseOptions(OptionsSchema, input, 'createRelayAdapter');
}
