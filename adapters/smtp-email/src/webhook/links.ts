import type { EventSink } from '@threadline/core';
import type { ActionClaims, LinkSigner, UnsubscribeClaims } from '../links';
import { messageIdFor } from '../outbound';
import { page } from './pages';

/**
 * The routes behind the links in our emails.
 *
 * - `…/unsubscribe?t=`: `POST` is RFC 8058's one-click unsubscribe (the mailbox provider posts
 *   `List-Unsubscribe=One-Click`, no cookies, no confirmation), recorded as an `opt-out`; `GET`
 *   (a person clicking the footer link) shows a page whose button does the same POST.
 * - `…/action?t=`: `GET` shows the choice with a confirm button; its `POST` records the choice as
 *   the recipient's inbound message (like a WhatsApp button reply) and shows a confirmation. Two
 *   steps because mail security scanners open every link in a message: a `GET` that acted would
 *   answer for the user.
 * Source: https://www.rfc-editor.org/rfc/rfc8058#section-3.1
 */

/** What the link routes need. */
export interface LinkRouteDeps {
  adapterId: string;
  signer: LinkSigner | undefined;
  fromDomain: string;
  now: () => number;
}

const EXPIRED = { title: 'This link has expired', text: 'Reply to the email instead.' };
const INVALID = { title: 'This link is not valid', text: 'It may have been copied incompletely.' };

async function claimsOf(
  deps: LinkRouteDeps,
  url: URL,
): Promise<ActionClaims | UnsubscribeClaims | Response> {
  const token = url.searchParams.get('t');
  if (deps.signer === undefined || token === null) return page(404, INVALID);
  const claims = await deps.signer.verify(token);
  if (claims === 'expired') return page(410, EXPIRED);
  if (claims === 'invalid') return page(401, INVALID);
  return claims;
}

/**
 * Answers `/unsubscribe` and `/action`.
 *
 * @example
 * ```ts
 * await handleLink(deps, request, sink, '/unsubscribe'); // 200 after recording the opt-out
 * ```
 */
export async function handleLink(
  deps: LinkRouteDeps,
  request: Request,
  sink: EventSink,
  route: '/unsubscribe' | '/action',
): Promise<Response> {
  const url = new URL(request.url);
  const claims = await claimsOf(deps, url);
  if (claims instanceof Response) return claims;
  const expected = route === '/unsubscribe' ? 'unsubscribe' : 'action';
  if (claims.kind !== expected) return page(401, INVALID);
  const base = { adapterId: deps.adapterId, channel: 'email' as const };
  const timestamp = new Date(deps.now());
  if (claims.kind === 'unsubscribe') {
    if (request.method !== 'POST') {
      return page(200, {
        title: 'Unsubscribe',
        text: `Stop emails to ${claims.address}?`,
        button: { label: 'Unsubscribe', action: url.pathname + url.search },
      });
    }
    await sink.emit({
      ...base,
      type: 'opt-out',
      from: { address: claims.address },
      timestamp,
      keyword: 'list-unsubscribe',
    });
    return page(200, {
      title: 'You are unsubscribed',
      text: `No more emails will be sent to ${claims.address}.`,
    });
  }
  if (request.method !== 'POST') {
    return page(200, {
      title: claims.label,
      text: 'Confirm your choice:',
      button: { label: claims.label, action: url.pathname + url.search },
    });
  }
  await sink.emit({
    ...base,
    type: 'message',
    message: {
      // One choice per button per email: a second click is the same message, deduplicated.
      providerMessageId: `action:${claims.deliveryId}:${claims.label}`,
      from: { address: claims.address },
      timestamp,
      text: claims.label,
      payload: claims.label,
      replyTo: messageIdFor(claims.deliveryId, deps.fromDomain),
    },
  });
  return page(200, { title: 'Thank you', text: `Your choice "${claims.label}" was sent.` });
}
