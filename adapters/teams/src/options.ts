import { type Clock, parseOptions, withEnvironmentFallbacks } from '@threadline/core';
import { z } from 'zod';

/**
 * The adapter's options: a zod schema with defaults and `MICROSOFT_APP_*` environment fallbacks
 * (the names botbuilder's samples use), so a host can keep the secrets out of code.
 */

/**
 * Where the Bot Connector's signing keys are published (its `jwks_uri`).
 * Source: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
export const DEFAULT_OPENID_METADATA_URL =
  'https://login.botframework.com/v1/.well-known/openidconfiguration';
/** The `iss` of tokens the Bot Connector signs (same source). */
export const DEFAULT_TOKEN_ISSUER = 'https://api.botframework.com';
/** Microsoft Entra ID, where the bot gets its own tokens for outbound calls (same source). */
export const DEFAULT_LOGIN_URL = 'https://login.microsoftonline.com';
/** The scope (audience) of the bot's outbound tokens (same source). */
export const DEFAULT_OAUTH_SCOPE = 'https://api.botframework.com';

/**
 * Service URLs the bot will call. Teams activities carry `https://smba.trafficmanager.net/<region>/`
 * (source: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages);
 * a reference naming another host is refused, so a forged reference cannot collect the bot's token.
 */
export const DEFAULT_SERVICE_URLS = ['https://smba.trafficmanager.net/'] as const;

/** How long one Bot Connector call may take before it is abandoned as a retryable failure. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Environment variables read when the matching option is not given. */
export const ENV_FALLBACKS = {
  appId: 'MICROSOFT_APP_ID',
  appPassword: 'MICROSOFT_APP_PASSWORD',
  tenantId: 'MICROSOFT_APP_TENANT_ID',
  appType: 'MICROSOFT_APP_TYPE',
} as const;

/** Microsoft's three kinds of bot identity. */
export const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
  { message: 'expected a clock with a now() method' },
);
const fetchSchema = z.custom<typeof fetch>((value) => typeof value === 'function', {
  message: 'expected a fetch function',
});
const trimmedUrl = z.url().transform((url) => url.replace(/\/+$/, ''));

/** The Bot Framework endpoints; override them to point at `@threadline/emulators` or a test. */
export const EndpointsSchema = z
  .object({
    /** OpenID metadata whose `jwks_uri` verifies inbound tokens. */
    openIdMetadataUrl: z.url().default(DEFAULT_OPENID_METADATA_URL),
    /** The `iss` inbound tokens must carry. */
    tokenIssuer: z.string().min(1).default(DEFAULT_TOKEN_ISSUER),
    /** The authority the bot gets its outbound tokens from (the tenant is appended). */
    loginUrl: trimmedUrl.default(DEFAULT_LOGIN_URL),
    /** The scope of the bot's outbound tokens. */
    oauthScope: z.string().min(1).default(DEFAULT_OAUTH_SCOPE),
    /**
     * A plain OAuth 2.0 client-credentials token endpoint to use instead of MSAL: for stand-ins
     * served over `http://` (MSAL refuses authorities that are not https). Leave unset in production.
     */
    tokenUrl: z.url().optional(),
  })
  .strict();

/** The options schema of {@link createTeamsAdapter}. */
export const TeamsOptionsSchema = z
  .object({
    /** Adapter id (the webhook path segment). Defaults to `teams-<appId>`. */
    id: z.string().min(1).optional(),
    /** The bot's Microsoft App ID (its Entra ID application id). */
    appId: z.string().min(1),
    /** The app's client secret; or give `certificate`, or use `UserAssignedMSI`. */
    appPassword: z.string().min(1).optional(),
    /** A certificate registered on the app, instead of a password. */
    certificate: z
      .object({ thumbprint: z.string().min(1), privateKey: z.string().min(1) })
      .strict()
      .optional(),
    appType: z.enum(APP_TYPES).default('MultiTenant'),
    /** The Entra ID tenant: required for `SingleTenant` and `UserAssignedMSI`. */
    tenantId: z.string().min(1).optional(),
    endpoints: EndpointsSchema.prefault({}),
    /** Service URL prefixes the bot may call (see {@link DEFAULT_SERVICE_URLS}). */
    serviceUrls: z
      .array(z.url())
      .min(1)
      .default([...DEFAULT_SERVICE_URLS]),
    /**
     * How `::: actions` buttons answer: `submit` (Action.Submit, a message back) or `execute`
     * (Action.Execute, an `adaptiveCard/action` invoke answered with a refreshed card).
     */
    cardActions: z.enum(['submit', 'execute']).default('submit'),
    /** Stream replies with Teams' streaming protocol in personal chats (else one final message). */
    streaming: z.boolean().default(true),
    timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
    /** Replaces the global `fetch` for `endpoints.tokenUrl`. */
    fetch: fetchSchema.optional(),
    clock: clockSchema.optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (options.appType !== 'MultiTenant' && options.tenantId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenantId'],
        message: `${options.appType} needs the tenant id (MICROSOFT_APP_TENANT_ID)`,
      });
    }
    const secrets = [options.appPassword, options.certificate].filter((v) => v !== undefined);
    if (options.appType === 'UserAssignedMSI' ? secrets.length > 0 : secrets.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['appPassword'],
        message:
          options.appType === 'UserAssignedMSI'
            ? 'a managed identity has no password or certificate'
            : 'give exactly one of appPassword or certificate',
      });
    }
  });

type SchemaInput = z.input<typeof TeamsOptionsSchema>;
type FromEnvironment = keyof typeof ENV_FALLBACKS;

/** Options of {@link createTeamsAdapter}, as the host writes them. */
export type TeamsAdapterOptions = Omit<SchemaInput, FromEnvironment> &
  Partial<Pick<SchemaInput, FromEnvironment>>;
/** Options after defaults and environment fallbacks. */
export type ResolvedTeamsOptions = z.output<typeof TeamsOptionsSchema>;

/**
 * Validates the options, filling missing ones from `MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`,
 * `MICROSOFT_APP_TENANT_ID` and `MICROSOFT_APP_TYPE`. Throws a `ConfigError` naming every bad option.
 *
 * @example
 * ```ts
 * const options = resolveTeamsOptions({ appId: '…', appPassword: process.env.BOT_SECRET });
 * ```
 */
export function resolveTeamsOptions(input: TeamsAdapterOptions): ResolvedTeamsOptions {
  return parseOptions(
    TeamsOptionsSchema,
    withEnvironmentFallbacks(input, ENV_FALLBACKS),
    'createTeamsAdapter',
  );
}
