import type { JsonObject } from '@threadline/core';
import {
  type Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import {
  AppCredentials,
  AuthenticationConstants,
  CertificateServiceClientCredentialsFactory,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';

/**
 * The seam: every botbuilder call in this package is in this file, so that Microsoft's successor
 * SDK (`@microsoft/agents-hosting`, whose `CloudAdapter` has the same shape) can replace it
 * without touching parsing, rendering or sending. Everything crossing it is plain JSON.
 */

/** The settings the seam needs, already validated by the options schema. */
export interface BotFrameworkSettings {
  appId: string;
  appPassword?: string;
  certificate?: { thumbprint: string; privateKey: string };
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  endpoints: {
    openIdMetadataUrl: string;
    tokenIssuer: string;
    loginUrl: string;
    oauthScope: string;
    tokenUrl?: string;
  };
  fetch?: typeof fetch;
}

/** What an inbound `invoke` is answered with (its HTTP status and JSON body). */
export interface InvokeAnswer {
  status: number;
  body?: JsonObject;
}

/** An outbound call the Bot Connector refused, with what the error mapping needs. */
export class ConnectorCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfter: string | undefined,
    readonly body: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorCallError';
  }
}

/** Posts and updates activities in one conversation, inside one proactive turn. */
export interface ConversationTurn {
  /** Posts a new activity; resolves with its id. */
  post(activity: JsonObject): Promise<string>;
  /** Replaces the activity `id` (a streamed message's text, a refreshed card). */
  update(id: string, activity: JsonObject): Promise<void>;
}

/** The Bot Framework operations the adapter uses. */
export interface BotFramework {
  /**
   * Authenticates the request's JWT (401 when it fails, before `onActivity` runs) and runs
   * `onActivity` with the activity as JSON; an `invoke` is answered with what it returns.
   */
  process(input: {
    method: string;
    authorization: string | null;
    activity: JsonObject;
    onActivity(activity: JsonObject): Promise<InvokeAnswer | undefined>;
  }): Promise<Response>;
  /** Continues the conversation a stored reference points at (`continueConversationAsync`). */
  continueConversation<T>(
    reference: JsonObject,
    work: (turn: ConversationTurn) => Promise<T>,
  ): Promise<T>;
  /** The reference to store for later proactive sends. */
  referenceOf(activity: JsonObject): JsonObject;
  /** The activity's text without the `<at>` mention of the bot (channel messages). */
  textWithoutBotMention(activity: JsonObject): string;
}

const toJson = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

/**
 * OAuth 2.0 client credentials against `endpoints.tokenUrl`: MSAL refuses authorities that are not
 * https, so stand-ins on `http://127.0.0.1` need this. Production uses botbuilder's MSAL path.
 */
class StandInCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly password: string,
    private readonly tokenUrl: string,
    scope: string,
    private readonly fetcher: typeof fetch,
  ) {
    super(appId, undefined, scope);
  }

  protected async refreshToken(): Promise<{ accessToken: string; expiresOn: Date }> {
    const response = await this.fetcher(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.appId,
        client_secret: this.password,
        scope: `${this.oAuthScope}/.default`,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new ConnectorCallError(
        `the token endpoint answered ${response.status}`,
        response.status === 200 ? 401 : response.status,
        undefined,
        JSON.stringify(body),
        { cause: body },
      );
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 3_600;
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + seconds * 1_000) };
  }
}

class StandInCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly settings: BotFrameworkSettings & { tokenUrl: string }) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.settings.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials(appId: string, audience: string | undefined): Promise<AppCredentials> {
    const { tokenUrl, appPassword = '', endpoints, fetch: fetcher = fetch } = this.settings;
    return new StandInCredentials(
      appId,
      appPassword,
      tokenUrl,
      audience ?? endpoints.oauthScope,
      fetcher,
    );
  }
}

function credentialsFactory(settings: BotFrameworkSettings): ServiceClientCredentialsFactory {
  const { tokenUrl } = settings.endpoints;
  if (tokenUrl !== undefined) return new StandInCredentialsFactory({ ...settings, tokenUrl });
  if (settings.certificate !== undefined) {
    return new CertificateServiceClientCredentialsFactory(
      settings.appId,
      settings.certificate.thumbprint,
      settings.certificate.privateKey,
      settings.tenantId,
    );
  }
  return new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId ?? '',
  });
}

/** A connector `RestError` (`@azure/core-rest-pipeline`) with an HTTP status. */
function isHttpFailure(error: unknown): boolean {
  return (
    error instanceof ConnectorCallError ||
    (typeof error === 'object' &&
      error !== null &&
      typeof (error as { statusCode?: unknown }).statusCode === 'number')
  );
}

/** The retry header and body of a connector `RestError`. */
function toCallError(error: unknown): ConnectorCallError {
  if (error instanceof ConnectorCallError) return error;
  const failure = error as {
    statusCode?: number;
    message?: string;
    response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string };
  };
  const retryAfter = failure.response?.headers?.get?.('retry-after') ?? undefined;
  return new ConnectorCallError(
    failure.message ?? String(error),
    failure.statusCode,
    retryAfter,
    failure.response?.bodyAsText ?? undefined,
    { cause: error },
  );
}

/** The connector's own retry policy would sleep through 429s; the outbox owns retries instead. */
function withoutRetries(context: TurnContext, adapter: CloudAdapter): void {
  const client = context.turnState.get(adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(options: { phase: 'Retry' }): unknown } } }
    | undefined;
  client?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/** A botbuilder `Response` that collects what `CloudAdapter.process` writes. */
function collectingResponse() {
  const state: { status: number; body: unknown; headers: Record<string, string> } = {
    status: 200,
    body: undefined,
    headers: {},
  };
  const response = {
    socket: undefined,
    statusCode: () => state.status,
    status(code: number) {
      state.status = code;
      return response;
    },
    header(name: string, value: unknown) {
      state.headers[name.toLowerCase()] = String(value);
      return response;
    },
    send(body?: unknown) {
      state.body = body;
      return response;
    },
    end() {
      return response;
    },
  };
  const toResponse = (): Response => {
    if (state.body === undefined || state.body === null) {
      return new Response(null, { status: state.status });
    }
    const isText = typeof state.body === 'string';
    return new Response(isText ? (state.body as string) : JSON.stringify(state.body), {
      status: state.status,
      headers: { 'content-type': isText ? 'text/plain' : 'application/json', ...state.headers },
    });
  };
  return { response, toResponse };
}

/**
 * Builds the seam on botbuilder's `CloudAdapter` and `ConfigurationBotFrameworkAuthentication`,
 * with every Bot Framework endpoint taken from the settings.
 *
 * @example
 * ```ts
 * const bot = createBotFramework({ appId, appPassword, appType: 'MultiTenant', endpoints });
 * const response = await bot.process({ method: 'POST', authorization, activity, onActivity });
 * ```
 */
export function createBotFramework(settings: BotFrameworkSettings): BotFramework {
  const { endpoints } = settings;
  const authority = settings.tenantId ?? 'botframework.com';
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: settings.appId,
      MicrosoftAppTenantId: settings.tenantId ?? '',
      ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: endpoints.tokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl:
        AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: `${endpoints.loginUrl}/${authority}`,
      ToChannelFromBotOAuthScope: endpoints.oauthScope,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
      ValidateAuthority: true,
    },
    credentialsFactory(settings),
  );
  const adapter = new CloudAdapter(auth);

  return {
    async process({ method, authorization, activity, onActivity }) {
      const { response, toResponse } = collectingResponse();
      const request = {
        method,
        headers: authorization === null ? {} : { authorization },
        body: activity,
      };
      let authenticated = false;
      await adapter.process(request, response, async (context) => {
        authenticated = true;
        const answer = await onActivity(activity);
        if (context.activity.type === 'invoke') {
          await context.sendActivity({
            type: 'invokeResponse',
            value: { status: answer?.status ?? 200, body: answer?.body },
          });
        }
      });
      // botbuilder answers 500 when jsonwebtoken rejects a signature (not an AuthenticationError);
      // nothing but authentication runs before the logic, so that failure is a 401.
      if (!authenticated && response.statusCode() >= 500) {
        return new Response(JSON.stringify({ error: 'unauthorized' }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        });
      }
      return toResponse();
    },

    async continueConversation(reference, work) {
      // Without `activityId` the post is a new message in the conversation, not a reply to one.
      const { activityId: _replyTo, ...conversation } = reference;
      let result: { value: Awaited<ReturnType<typeof work>> } | undefined;
      try {
        await adapter.continueConversationAsync(
          settings.appId,
          conversation as unknown as Partial<ConversationReference>,
          async (context) => {
            withoutRetries(context, adapter);
            // botbuilder would make each post a reply to the synthetic continuation event's id;
            // a proactive message is a new message in the conversation.
            context.onSendActivities(async (_context, activities, next) => {
              for (const activity of activities) delete activity.replyToId;
              return next();
            });
            const turn: ConversationTurn = {
              async post(activity) {
                const answer = await context.sendActivity(activity as Partial<Activity>);
                return answer?.id ?? '';
              },
              async update(id, activity) {
                await context.updateActivity({ ...(activity as Partial<Activity>), id });
              },
            };
            result = { value: await work(turn) };
          },
        );
      } catch (error) {
        throw isHttpFailure(error) ? toCallError(error) : error;
      }
      if (result === undefined) throw new Error('the conversation turn did not run');
      return result.value;
    },

    referenceOf(activity) {
      return toJson(TurnContext.getConversationReference(activity as Partial<Activity>));
    },

    textWithoutBotMention(activity) {
      const copy = toJson(activity) as unknown as Partial<Activity>;
      return TurnContext.removeRecipientMention(copy)?.trim() ?? '';
    },
  };
}
