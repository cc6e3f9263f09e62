import type { IncomingMessage } from 'node:http';

/**
 * Whether a Graph request carries the access token: `Authorization: Bearer <token>`, or
 * `?access_token=` as Graph also allows. Any other token earns error 190.
 */
export function hasToken(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return (match?.[1] ?? url.searchParams.get('access_token')) === token;
}
