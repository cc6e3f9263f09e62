import { createHmac } from 'node:crypto';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import {
  createVisitorToken,
  createWebChatAdapter,
  SECRET_ENV,
  TOKEN_AUDIENCE,
  VisitorTokenError,
  verifyVisitorToken,
} from '../src/index';

const secret = 'a'.repeat(32);
const clock = createFakeClock();
const now = () => ({ now: clock.now() });

function problem(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof VisitorTokenError ? error.problem : String(error);
  }
}

/** Signs arbitrary header and claims, as another JWT library (or an attacker) would. */
function jwt(header: object, claims: object, key = secret): string {
  const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`;
}

describe('visitor tokens', () => {
  it('round-trips a user id, name and expiry', () => {
    const token = createVisitorToken(
      { userId: 'member-42', ttlSeconds: 600, name: 'Ann' },
      secret,
      now(),
    );
    expect(verifyVisitorToken(token, secret, now())).toEqual({
      userId: 'member-42',
      address: 'user:member-42',
      displayName: 'Ann',
      expiresAt: clock.now() + 600_000,
      anonymous: false,
    });
  });

  it('expires exactly at exp', () => {
    const token = createVisitorToken({ userId: 'u', ttlSeconds: 60 }, secret, now());
    expect(
      problem(() => verifyVisitorToken(token, secret, { now: clock.now() + 59_999 })),
    ).toBeUndefined();
    expect(problem(() => verifyVisitorToken(token, secret, { now: clock.now() + 60_000 }))).toBe(
      'expired',
    );
  });

  it('refuses another secret, a changed claim, alg none and a foreign audience', () => {
    const token = createVisitorToken({ userId: 'u1' }, secret, now());
    expect(problem(() => verifyVisitorToken(token, 'b'.repeat(32), now()))).toBe('signature');
    const [header, , signature] = token.split('.');
    const claims = Buffer.from(
      JSON.stringify({ sub: 'u2', aud: TOKEN_AUDIENCE, iat: 0, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(
      problem(() => verifyVisitorToken(`${header}.${claims}.${signature}`, secret, now())),
    ).toBe('signature');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${claims}.`;
    expect(problem(() => verifyVisitorToken(none, secret, now()))).toBe('malformed');
    const foreign = jwt(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'u1', aud: 'billing', iat: 0, exp: 9_999_999_999 },
    );
    expect(problem(() => verifyVisitorToken(foreign, secret, now()))).toBe('audience');
    expect(problem(() => verifyVisitorToken('garbage', secret, now()))).toBe('malformed');
  });

  it('accepts a token minted by any HS256 JWT library', () => {
    const token = jwt(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'u9', aud: TOKEN_AUDIENCE, iat: 1, exp: Math.floor(clock.now() / 1000) + 60 },
    );
    expect(verifyVisitorToken(token, secret, now()).userId).toBe('u9');
  });

  it('verifies with any of several secrets, for rotation', () => {
    const old = createVisitorToken({ userId: 'u1' }, secret, now());
    expect(verifyVisitorToken(old, ['n'.repeat(32), secret], now()).userId).toBe('u1');
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
  });
});
