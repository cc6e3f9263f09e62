import { z } from 'zod';

/**
 * Options of the Teams emulator: the bot it stands in front of (its app id and secret, its
 * messaging endpoint) and where to listen.
 */

/** Microsoft's issuer for channel → bot tokens; the emulator signs with its own key under it. */
export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

export const TeamsEmulatorOptionsSchema = z
  .object({
    /** The bot's Microsoft App ID: the `aud` of tokens the emulator signs. */
    appId: z.string().min(1),
    /** The secret the bot must present at the token endpoint. */
    appPassword: z.string().min(1),
    /** The bot's messaging endpoint (`…/webhooks/<adapter id>`); settable later. */
    botUrl: z.url().optional(),
    /** The bot's display name in conversations. */
    botName: z.string().min(1).default('Threadline Bot'),
    tenantId: z.string().min(1).default('00000000-0000-4000-8000-00000000cafe'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(0),
  })
  .strict();

export type TeamsEmulatorOptions = z.input<typeof TeamsEmulatorOptionsSchema>;
export type ResolvedTeamsEmulatorOptions = z.output<typeof TeamsEmulatorOptionsSchema>;
