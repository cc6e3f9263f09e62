import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeClock } from '@threadline/testkit';
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVisitorToken,
  createWebChatAdapter,
  SECRET_ENV,
  TOKEN_AUDIENCE,
  VisitorTokenError,
  verifyVisitorToken,
} from '../src/index';
import { startChatServer, TestClient, upgradeStatus } from './helpers';

const secret = 'a'.repeat(32);
const clock = createFakeClock();
const now = () => ({ now: clock.now() });
const nowSeconds = () => Math.floor(clock.now() / 1000);
const key = new TextEncoder().encode(secret);

async function problem(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error instanceof VisitorTokenError ? error.problem : String(error);
  }
}

/** Signs a header and claims exactly as given, in that field order (as another library might). */
function rawJwt(header: object, claims: object, signingKey = secret): string {
  const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${data}.${createHmac('sha256', signingKey).update(data).digest('base64url')}`;
}

describe('visitor tokens', () => {
  it('round-trips a user id, name and expiry', async () => {
    const token = await createVisitorToken(
      { userId: 'member-42', ttlSeconds: 600, name: 'Ann' },
      secret,
      now(),
    );
    expect(await verifyVisitorToken(token, secret, now())).toEqual({
      userId: 'member-42',
      address: 'user:member-42',
      displayName: 'Ann',
      expiresAt: clock.now() + 600_000,
      anonymous: false,
    });
  });

  it('expires exactly at exp', async () => {
    const token = await createVisitorToken({ userId: 'u', ttlSeconds: 60 }, secret, now());
    expect(
      await problem(() => verifyVisitorToken(token, secret, { now: clock.now() + 59_999 })),
    ).toBeUndefined();
    expect(
      await problem(() => verifyVisitorToken(token, secret, { now: clock.now() + 60_000 })),
    ).toBe('expired');
  });

  it('refuses another secret, a changed claim, alg none and a foreign audience', async () => {
    const token = await createVisitorToken({ userId: 'u1' }, secret, now());
    expect(await problem(() => verifyVisitorToken(token, 'b'.repeat(32), now()))).toBe('signature');
    const [header, , signature] = token.split('.');
    const claims = Buffer.from(
      JSON.stringify({ sub: 'u2', aud: TOKEN_AUDIENCE, iat: 0, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(
      await problem(() => verifyVisitorToken(`${header}.${claims}.${signature}`, secret, now())),
    ).toBe('signature');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${claims}.`;
    expect(await problem(() => verifyVisitorToken(none, secret, now()))).toBe('malformed');
    const foreign = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('billing')
      .setExpirationTime(nowSeconds() + 60)
      .sign(key);
    expect(await problem(() => verifyVisitorToken(foreign, secret, now()))).toBe('audience');
    expect(await problem(() => verifyVisitorToken('garbage', secret, now()))).toBe('malformed');
    const noExpiry = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(TOKEN_AUDIENCE)
      .sign(key);
    expect(await problem(() => verifyVisitorToken(noExpiry, secret, now()))).toBe('malformed');
  });

  it('accepts any standards-compliant HS256 token minted by jose', async () => {
    const exp = nowSeconds() + 60;
    const variants = [
      // No `typ`, a `kid`, `aud` as an array that contains ours.
      new SignJWT({ sub: 'u1' })
        .setProtectedHeader({ alg: 'HS256', kid: '2026-12' })
        .setAudience(['crm', TOKEN_AUDIENCE])
        .setExpirationTime(exp),
      new SignJWT({ sub: 'u2', name: 'Bo' })
        .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(nowSeconds())
        .setExpirationTime(exp),
    ];
    const tokens = await Promise.all(variants.map((jwt) => jwt.sign(key)));
    const visitors = await Promise.all(tokens.map((t) => verifyVisitorToken(t, secret, now())));
    expect(visitors.map((visitor) => visitor.userId)).toEqual(['u1', 'u2']);
    expect(visitors[1]?.displayName).toBe('Bo');
    // Header fields in another order than jose writes them, no `iat`.
    const reordered = rawJwt(
      { typ: 'JWT', kid: 'k1', alg: 'HS256' },
      { exp, aud: [TOKEN_AUDIENCE], sub: 'u3' },
    );
    expect((await verifyVisitorToken(reordered, secret, now())).userId).toBe('u3');
  });

  it('verifies with any of several secrets, for rotation', async () => {
    const old = await createVisitorToken({ userId: 'u1' }, secret, now());
    expect((await verifyVisitorToken(old, ['n'.repeat(32), secret], now())).userId).toBe('u1');
  });

  it('rejects a short secret, and reads the secret from the environment', () => {
    expect(() => createWebChatAdapter({ secret: 'short' })).toThrow(/secret/);
    process.env[SECRET_ENV] = 's'.repeat(32);
    try {
      expect(createWebChatAdapter({}).id).toBe('webchat');
    } finally {
      delete process.env[SECRET_ENV];
    }
    expect(() => createWebChatAdapter({})).toThrow(/secret/);
    expect(() =>
      createWebChatAdapter({ jwks: { url: 'https://id.example/jwks' }, allowAnonymous: true }),
    ).toThrow(/allowAnonymous needs a secret/);
  });
});

describe('visitor tokens signed with the host’s own keys (JWKS)', () => {
  const pairs: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};
  let jwksServer: Server;
  let jwksUrl: string;

  beforeAll(async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      pairs[alg] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: alg, alg } };
    }
    const keys = Object.values(pairs).map((pair) => pair.jwk);
    jwksServer = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  const mint = (alg: 'RS256' | 'ES256' | 'EdDSA', claims: { sub: string; aud?: string }) =>
    new SignJWT({ sub: claims.sub })
      .setProtectedHeader({ alg, kid: alg })
      .setIssuer('https://id.example/')
      .setAudience(claims.aud ?? TOKEN_AUDIENCE)
      .setExpirationTime(nowSeconds() + 300)
      .sign((pairs[alg] as { privateKey: CryptoKey }).privateKey);

  it('verifies RS256, ES256 and EdDSA against a JWKS URL and a local key set', async () => {
    const remote = { keySet: createRemoteJWKSet(new URL(jwksUrl)), issuer: 'https://id.example/' };
    const local = {
      keySet: createLocalJWKSet({ keys: Object.values(pairs).map((pair) => pair.jwk) }),
    };
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const token = await mint(alg, { sub: `member-${alg}` });
      expect((await verifyVisitorToken(token, remote, now())).userId).toBe(`member-${alg}`);
      expect((await verifyVisitorToken(token, local, now())).userId).toBe(`member-${alg}`);
    }
    const wrongIssuer = { ...remote, issuer: 'https://other.example/' };
    expect(
      await problem(async () =>
        verifyVisitorToken(await mint('ES256', { sub: 'x' }), wrongIssuer, now()),
      ),
    ).toBe('malformed');
    const narrowed = { ...local, algorithms: ['EdDSA'] as const };
    expect(
      await problem(async () =>
        verifyVisitorToken(await mint('RS256', { sub: 'x' }), narrowed, now()),
      ),
    ).toBe('malformed');
  });

  it('refuses a key-set token when only a secret is configured, and a key it does not know', async () => {
    const token = await mint('ES256', { sub: 'u1' });
    expect(await problem(() => verifyVisitorToken(token, secret, now()))).toBe('malformed');
    const { privateKey } = await generateKeyPair('ES256');
    const stranger = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'ES256' })
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime(nowSeconds() + 300)
      .sign(privateKey);
    const local = {
      keySet: createLocalJWKSet({ keys: Object.values(pairs).map((pair) => pair.jwk) }),
    };
    expect(await problem(() => verifyVisitorToken(stranger, local, now()))).toBe('signature');
  });

  it('lets a host-signed token through the upgrade, and answers a bad one with 401', async () => {
    const server = await startChatServer({
      options: { jwks: { url: jwksUrl, audience: 'shop-chat', issuer: 'https://id.example/' } },
    });
    try {
      const token = await new SignJWT({ sub: 'member-9' })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'EdDSA' })
        .setIssuer('https://id.example/')
        .setAudience('shop-chat')
        .setExpirationTime(Math.floor(server.clock.now() / 1000) + 300)
        .sign((pairs.EdDSA as { privateKey: CryptoKey }).privateKey);
      const tab = await TestClient.connect(server.url, { token });
      expect(tab.of('welcome')[0]).toMatchObject({ userId: 'member-9' });
      tab.ws.terminate();
      const wrongAudience = await mint('EdDSA', { sub: 'member-9', aud: 'billing' });
      expect(await upgradeStatus(`${server.url}?token=${wrongAudience}`)).toBe(401);
      // The adapter's own HS256 tokens still work beside the key set.
      expect(await upgradeStatus(`${server.url}?token=${await server.token('u1')}`)).toBe(101);
    } finally {
      await server.close();
    }
  });
});
