import { deliverWebhook, inboundMessage } from './meta-webhooks';

/** One inbound message of a scenario: who sent it, Meta's id, and its text. */
export interface PlannedMessage {
  from: string;
  id: string;
  text: string;
}

/** `perUser` messages from each of `users` numbers (digits, as Meta sends `from`). */
export function planInbound(
  users: readonly string[],
  perUser: number,
  tag: string,
): PlannedMessage[] {
  return users.flatMap((number, u) =>
    Array.from({ length: perUser }, (_, m) => ({
      from: number.replace(/^\+/, ''),
      id: `wamid.IN-${tag}-${u}-${m}`,
      text: `${tag} ${u}-${m}`,
    })),
  );
}

/** What the stand-in for Meta saw: webhooks accepted, and POSTs it took. */
export interface InboundTotals {
  accepted: number;
  refused: number;
  attempts: number;
  /** When the last webhook was answered 2xx (epoch ms). */
  lastAcceptedAt: number;
}

/**
 * Delivers every message as Meta would: each user's messages in order (`gapMs` apart), users in
 * parallel, each webhook retried until answered 2xx.
 */
export async function sendInbound(
  url: string,
  messages: readonly PlannedMessage[],
  alive: () => boolean = () => true,
  gapMs = 0,
): Promise<InboundTotals> {
  const byUser = new Map<string, PlannedMessage[]>();
  for (const message of messages)
    byUser.set(message.from, [...(byUser.get(message.from) ?? []), message]);
  const totals: InboundTotals = { accepted: 0, refused: 0, attempts: 0, lastAcceptedAt: 0 };
  await Promise.all(
    [...byUser.values()].map(async (userMessages) => {
      for (const [i, message] of userMessages.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        const outcome = await deliverWebhook(
          url,
          inboundMessage(message.from, message.id, message.text),
          alive,
        );
        totals.attempts += outcome.attempts;
        if (outcome.accepted) {
          totals.accepted += 1;
          totals.lastAcceptedAt = Date.now();
        } else totals.refused += 1;
      }
    }),
  );
  return totals;
}
