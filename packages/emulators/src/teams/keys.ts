import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * The emulator's signing key, published as a JWKS like login.botframework.com's (with the
 * `endorsements` Bot Framework adds per channel), and the bot's opaque access tokens.
 */

const KEY_ID = 'threadline-teams-emulator';

export interface ChannelKeys {
  /** The JWKS document (`jwks_uri`). */
  jwks(): { keys: JWK[] };
  /** A channel → bot token: `iss`, `aud` = the app id, the activity's `serviceurl`. */
  sign(input: { issuer: string; audience: string; serviceUrl: string }): Promise<string>;
  /** Issues an access token for the bot's outbound calls. */
  issueAccessToken(): string;
  isAccessToken(token: string): boolean;
}

export async function createChannelKeys(): Promise<ChannelKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KEY_ID, use: 'sig', alg: 'RS256' };
  const issued = new Set<string>();
  return {
    jwks: () => ({ keys: [{ ...jwk, endorsements: ['msteams'] } as JWK] }),
    sign: ({ issuer, audience, serviceUrl }) =>
      new SignJWT({ serviceurl: serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('1h')
        .sign(privateKey),
    issueAccessToken() {
      const token = randomBytes(24).toString('base64url');
      issued.add(token);
      return token;
    },
    isAccessToken: (token) => issued.has(token),
  };
}
