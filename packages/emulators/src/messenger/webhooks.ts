import type { MessengerEntry, MessengerPerson } from './state';

/**
 * Webhook bodies in Meta's shape: `{ object, entry: [{ id, time, messaging: [one event] }] }`,
 * `object: "page"` with the Page id for Messenger, `object: "instagram"` with the account id.
 * Source: https://developers.facebook.com/documentation/business-messaging/messenger-platform/webhooks/webhook-events
 */

/** The inbox a webhook is about. */
export interface InboxIds {
  pageId: string;
  instagramAccountId: string;
}

function inboxOf(person: MessengerPerson, ids: InboxIds) {
  return person.platform === 'messenger'
    ? { object: 'page', id: ids.pageId }
    : { object: 'instagram', id: ids.instagramAccountId };
}

/** Wraps one `messaging[]` event, from the person (or, for echoes, to them). */
export function webhookBody(
  person: MessengerPerson,
  ids: InboxIds,
  at: number,
  event: Record<string, unknown>,
  echo = false,
) {
  const inbox = inboxOf(person, ids);
  const user = { id: person.id };
  const page = { id: inbox.id };
  return {
    object: inbox.object,
    entry: [
      {
        id: inbox.id,
        time: at,
        messaging: [
          { sender: echo ? page : user, recipient: echo ? user : page, timestamp: at, ...event },
        ],
      },
    ],
  };
}

/** The `message` of a person's message event. */
export function personMessage(entry: MessengerEntry, attachments?: unknown[]) {
  return {
    message: {
      mid: entry.id,
      ...(entry.text === undefined ? {} : { text: entry.text }),
      ...(entry.payload === undefined ? {} : { quick_reply: { payload: entry.payload } }),
      ...(attachments === undefined ? {} : { attachments }),
    },
  };
}

/** The `message` of an echo: what the business sent, with the app (or inbox) that sent it. */
export function echoMessage(entry: MessengerEntry, appId: string) {
  return {
    message: {
      mid: entry.id,
      is_echo: true,
      app_id: Number(appId),
      ...(entry.text === undefined ? {} : { text: entry.text }),
      ...(entry.message?.attachment === undefined
        ? {}
        : { attachments: [entry.message.attachment] }),
    },
  };
}
