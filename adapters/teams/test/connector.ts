import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw stand-in for the Bot Framework at the network edge: the OpenID metadata and JWKS that
 * botbuilder verifies inbound tokens against (signed here with a local key), Entra ID's token
 * endpoint for the bot's outbound calls (reached through MSAL), and the Bot Connector's
 * `POST /v3/conversations/{id}/activities`, recording every activity the bot sent.
 */

export const APP_ID = '00000000-0000-4000-8000-00000000b07f';
export const APP_PASSWORD = 'test-app-password';
export const OPENID_URL = 'https://login.botframework.test/v1/.well-known/openidconfiguration';
export const JWKS_URL = 'https://login.botframework.test/v1/.well-known/keys';
export const ISSUER = 'https://api.botframework.com';
export const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
/** Teams' service URLs are this host plus a region path (`amer/`, `amer-client-ss.msg/`). */
const CONNECTOR_HOST = 'https://smba.trafficmanager.net';

/** Options every test adapter shares: the real public endpoints except the OpenID metadata. */
export const baseOptions = {
  appId: APP_ID,
  appPassword: APP_PASSWORD,
  endpoints: { openIdMetadataUrl: OPENID_URL },
};

/** One activity the bot posted. */
export interface PostedActivity {
  conversationId: string;
  authorization: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: activity bodies are asserted as JSON literals
  body: any;
  method: string;
}

type Responder = () => Response | Promise<Response>;

const signing = await generateKeyPair('RS256', { extractable: true });
const stranger = await generateKeyPair('RS256', { extractable: true });
const KEY_ID = 'test-key-1';
const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid: KEY_ID, use: 'sig' };

/** What a test token may differ in from a valid one. */
export interface TokenOverrides {
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  serviceUrl?: string;
  /** Sign with a key the JWKS does not publish (under its own key id). */
  unknownKey?: boolean;
  /** Sign with another key under the published key id (a forged signature). */
  forgedSignature?: boolean;
}

/** A Bot Connector token as Teams sends it, signed with the mock's key. */
export async function mintToken(overrides: TokenOverrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1_000);
  return new SignJWT({ serviceurl: overrides.serviceUrl ?? SERVICE_URL })
    .setProtectedHeader({
      alg: 'RS256',
      kid: overrides.unknownKey ? 'unknown-key' : KEY_ID,
      typ: 'JWT',
    })
    .setIssuer(overrides.issuer ?? ISSUER)
    .setAudience(overrides.audience ?? APP_ID)
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (overrides.expiresIn ?? 3_600))
    .sign(
      overrides.unknownKey || overrides.forgedSignature ? stranger.privateKey : signing.privateKey,
    );
}

/** The mock and what reached it. */
export interface ConnectorMock {
  readonly posted: PostedActivity[];
  readonly tokenRequests: URLSearchParams[];
  /** Every request that reached any handler (token, metadata, connector). */
  readonly requests: string[];
  /** The next connector call answers with `respond`'s response. */
  respondWith(respond: Responder, times?: number): void;
  /** The next connector call fails with the Bot Connector's error envelope. */
  fail(status: number, code: string, options?: { retryAfter?: string; times?: number }): void;
  reset(): void;
}

/**
 * Starts msw for the file and returns the mock. Unhandled requests fail the test, so anything
 * botbuilder or MSAL calls that is not stood in for shows up.
 */
export function useConnectorMock(): ConnectorMock {
  const posted: PostedActivity[] = [];
  const tokenRequests: URLSearchParams[] = [];
  const requests: string[] = [];
  const queued: Responder[] = [];
  let counter = 0;

  // msw may run a handler twice for one request (its ClientRequest interceptor); answer each
  // request once, keyed by the client request id the Azure pipeline puts on every call.
  const answered = new Map<string, Promise<Response>>();
  const once = (request: Request, answer: () => Promise<Response>): Promise<Response> => {
    const key = request.headers.get('x-ms-client-request-id') ?? new URL(request.url).search;
    if (key === '') return answer();
    const known = answered.get(key) ?? answer();
    answered.set(key, known);
    return known.then((response) => response.clone());
  };

  const connector = (
    request: Request,
    conversationId: string,
    activityId?: string,
  ): Promise<Response> =>
    once(request, async () => {
      requests.push(`${request.method} ${request.url}`);
      const next = queued.shift();
      if (next) return next();
      posted.push({
        conversationId: decodeURIComponent(conversationId),
        authorization: request.headers.get('authorization'),
        body: await request.clone().json(),
        method: request.method,
      });
      counter += 1;
      return HttpResponse.json({ id: activityId ?? `1:activity-${counter}` }, { status: 201 });
    });

  const server = setupServer(
    http.get(OPENID_URL, ({ request }) => {
      requests.push(`GET ${request.url}`);
      return HttpResponse.json({
        issuer: ISSUER,
        jwks_uri: JWKS_URL,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }),
    http.get(JWKS_URL, ({ request }) => {
      requests.push(`GET ${request.url}`);
      return HttpResponse.json({ keys: [{ ...publicJwk, endorsements: ['msteams'] }] });
    }),
    http.post('https://login.microsoftonline.com/:tenant/oauth2/v2.0/token', ({ request }) =>
      once(request, async () => {
        requests.push(`POST ${request.url}`);
        tokenRequests.push(new URLSearchParams(await request.clone().text()));
        return HttpResponse.json({
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: 'bot-access-token',
        });
      }),
    ),
    http.post(
      `${CONNECTOR_HOST}/:region/v3/conversations/:conversationId/activities`,
      ({ request, params }) => connector(request, String(params.conversationId)),
    ),
    http.put(
      `${CONNECTOR_HOST}/:region/v3/conversations/:conversationId/activities/:activityId`,
      ({ request, params }) =>
        connector(request, String(params.conversationId), String(params.activityId)),
    ),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  return {
    posted,
    tokenRequests,
    requests,
    respondWith(respond, times = 1) {
      for (let i = 0; i < times; i += 1) queued.push(respond);
    },
    fail(status, code, options = {}) {
      this.respondWith(
        () =>
          HttpResponse.json(
            { error: { code, message: `${code} (test)` } },
            {
              status,
              headers: options.retryAfter ? { 'retry-after': options.retryAfter } : {},
            },
          ),
        options.times ?? 1,
      );
    },
    reset() {
      posted.length = 0;
      tokenRequests.length = 0;
      requests.length = 0;
      queued.length = 0;
      answered.clear();
      counter = 0;
    },
  };
}
