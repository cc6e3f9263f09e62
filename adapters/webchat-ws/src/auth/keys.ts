import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import type { ResolvedWebChatOptions } from '../options';
import type { VisitorTokenKeys } from './token';

/**
 * What the adapter verifies visitor tokens against, built once: the remote key set caches the
 * JWKS and refetches it (at most every 30 s, jose's cooldown) when a token names an unknown `kid`.
 */
export function tokenKeysOf(options: ResolvedWebChatOptions): VisitorTokenKeys {
  const { secret, jwks } = options;
  if (jwks === undefined) return { secret };
  const keySet =
    'url' in jwks
      ? createRemoteJWKSet(new URL(jwks.url))
      : createLocalJWKSet({ keys: jwks.keys } as unknown as JSONWebKeySet);
  return {
    secret,
    keySet,
    algorithms: jwks.algorithms,
    audience: jwks.audience,
    issuer: jwks.issuer,
  };
}
