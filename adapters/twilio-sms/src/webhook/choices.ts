import {
  type ActionsPart,
  type AdapterContext,
  normalizeAddress,
  parseMessage,
} from '@threadline/core';

/**
 * Numbered choices: SMS has no buttons, so `::: actions` goes out as `1. Tea` / `2. Coffee` and
 * the user answers "1" or "2". The answer becomes an inbound message with `payload` = the
 * action's label, as a WhatsApp button tap does.
 *
 * Which choices were offered is read back from the thread (the core's store, through the
 * `AdapterContext` given to `start`), not kept in process memory: the thread already records
 * every outbound message with its `:::` blocks, it survives restarts, and every instance behind a
 * load balancer reads the same one. The cost is one identity read and one thread read for a
 * message that is only a number; any other message costs nothing.
 */

/** A reply that is only a choice number: "2", " 2 ", "2.", "2)". */
const CHOICE_REPLY = /^\s*(\d{1,2})\s*[.)]?\s*$/;

/** How far back the last SMS we sent is looked for: replies come soon after the question. */
export const CHOICE_LOOKBACK_ENTRIES = 20;

/** What the lookup needs: the core's context (absent until `start`), and the channel. */
export interface ChoiceLookup {
  context: AdapterContext | undefined;
  channel: string;
}

function lastActions(text: string, parts: ActionsPart[] | undefined): ActionsPart | undefined {
  const actions = parts ?? parseMessage(text).filter((part) => part.type === 'actions');
  return actions.at(-1);
}

/**
 * The payload behind a numbered reply, or `undefined` when the text is not a number, no store is
 * at hand, or the last SMS we sent this user offered no such choice. When one message had several
 * `actions` blocks, the numbers answer the last one (each block is numbered from 1).
 *
 * @example
 * ```ts
 * await choicePayload({ context, channel: 'sms' }, '+15558675310', '2'); // 'Coffee'
 * ```
 */
export async function choicePayload(
  lookup: ChoiceLookup,
  address: string,
  text: string,
): Promise<string | undefined> {
  const match = CHOICE_REPLY.exec(text);
  const { context } = lookup;
  if (match === null || context === undefined) return undefined;
  const index = Number(match[1]) - 1;
  // The form the core stored the sender under (read as international, like every provider sender).
  const storedAddress = normalizeAddress('phone', address, { international: true }) ?? address;
  const key = { channel: lookup.channel, address: storedAddress };
  const identity = await context.store.identities.get(key);
  if (identity === null) return undefined;
  const threads = await context.store.threads.listByUser(identity.userId);
  const thread = threads.find((candidate) => candidate.agentId === context.agentId);
  if (thread === undefined) return undefined;
  const entries = await context.store.threads.read(thread.id, {
    latest: CHOICE_LOOKBACK_ENTRIES,
  });
  const offered = entries.findLast(
    (entry) => entry.direction === 'outbound' && entry.channel === lookup.channel,
  );
  if (offered === undefined) return undefined;
  const stored = offered.parts?.filter((part): part is ActionsPart => part.type === 'actions');
  const actions = lastActions(offered.text, stored?.length ? stored : undefined);
  return actions?.actions[index]?.label;
}
