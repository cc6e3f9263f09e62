import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { ChannelKeys } from './keys';
import type { ResolvedTeamsEmulatorOptions } from './options';
import { CHANNEL_TOKEN_ISSUER } from './options';
import type { ActivityJson, TeamsState } from './state';

/**
 * The Bot Framework's side of the wire: OpenID metadata + JWKS (what the bot verifies inbound
 * tokens against), the token endpoint (client credentials, what the bot calls before sending),
 * and the Bot Connector's `POST`/`PUT /v3/conversations/{id}/activities`, with Teams' error
 * envelope (`{ error: { code, message } }`) for unknown conversations and uninstalled apps.
 * Source: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
 */

export interface ConnectorFailure {
  status: number;
  code: string;
  retryAfter?: string;
}

export interface ConnectorRoutesOptions {
  config: ResolvedTeamsEmulatorOptions;
  keys: ChannelKeys;
  state: TeamsState;
  baseUrl(): string;
  /** A programmed failure for the next connector call, if any. */
  takeFailure(): ConnectorFailure | undefined;
  onBotActivity(conversationId: string, activity: ActivityJson): void;
}

function connectorError(res: ServerResponse, failure: ConnectorFailure): void {
  sendJson(
    res,
    failure.status,
    { error: { code: failure.code, message: `${failure.code} (Teams emulator)` } },
    failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
  );
}

async function readJson(req: IncomingMessage): Promise<ActivityJson> {
  return JSON.parse((await readBody(req)).toString('utf8')) as ActivityJson;
}

export function addConnectorRoutes(router: Router, options: ConnectorRoutesOptions): void {
  const { config, keys, state } = options;

  router.route('GET', '/v1/.well-known/openidconfiguration', ({ res }) =>
    sendJson(res, 200, {
      issuer: CHANNEL_TOKEN_ISSUER,
      authorization_endpoint: `${options.baseUrl()}/v1/authorize`,
      jwks_uri: `${options.baseUrl()}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    }),
  );
  router.route('GET', '/v1/.well-known/keys', ({ res }) => sendJson(res, 200, keys.jwks()));

  router.route('POST', '/:tenant/oauth2/v2.0/token', async ({ req, res }) => {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== config.appId ||
      form.get('client_secret') !== config.appPassword
    ) {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided. (Teams emulator)',
      });
    }
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: keys.issueAccessToken(),
    });
  });

  const activity = async (
    {
      req,
      res,
      params,
    }: { req: IncomingMessage; res: ServerResponse; params: Record<string, string> },
    update: boolean,
  ) => {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!keys.isAccessToken(bearer)) {
      return connectorError(res, { status: 401, code: 'Unauthorized' });
    }
    const failure = options.takeFailure();
    if (failure) return connectorError(res, failure);
    const conversationId = params.conversationId as string;
    const person = state.byConversation(conversationId);
    if (!person) return connectorError(res, { status: 404, code: 'ConversationNotFound' });
    if (!person.installed) {
      return connectorError(res, { status: 403, code: 'BotNotInConversationRoster' });
    }
    const body = await readJson(req);
    const id = update ? (params.activityId as string) : state.nextId();
    options.onBotActivity(conversationId, { ...body, id });
    sendJson(res, update ? 200 : 201, { id });
  };
  router.route('POST', '/teams/v3/conversations/:conversationId/activities', (ctx) =>
    activity(ctx, false),
  );
  router.route('POST', '/teams/v3/conversations/:conversationId/activities/:activityId', (ctx) =>
    activity({ ...ctx, params: { conversationId: ctx.params.conversationId as string } }, false),
  );
  router.route('PUT', '/teams/v3/conversations/:conversationId/activities/:activityId', (ctx) =>
    activity(ctx, true),
  );
}
