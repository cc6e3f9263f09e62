import type { JsonObject, OutboundEnvelope, ThreadEntry, ThreadStore } from '@threadline/core';

/**
 * Outbound threading: the thread's last email (ours or the user's) gives `In-Reply-To`,
 * `References` and the `Re:` subject, so mail clients group the conversation (RFC 5322 §3.6.4).
 * Source: https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4
 */

/** How far back a send looks for the last email of the thread. */
const LOOKBACK_ENTRIES = 50;
/**
 * References grow by one id per message; long chains are trimmed to the root and the latest ids,
 * as RFC 5322 allows, so headers stay well under line limits.
 */
export const REFERENCES_MAX = 20;

/** What a reply needs from the thread. */
export interface ThreadHeaders {
  threadId?: string;
  inReplyTo?: string;
  references: string[];
  subject?: string;
}

function extra(entry: ThreadEntry): JsonObject | undefined {
  const value = entry.metadata?.extra;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** Keeps the first (root) id and the latest ones. */
export function trimReferences(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length <= REFERENCES_MAX) return unique;
  return [unique[0] as string, ...unique.slice(unique.length - (REFERENCES_MAX - 1))];
}

/**
 * The thread's latest email on this adapter (inbound or outbound, other than this delivery) and
 * the headers a reply to it carries.
 *
 * @example
 * ```ts
 * const headers = await threadHeaders(store, { adapterId: 'email', agentId, envelope });
 * headers.inReplyTo; // '<d_41@acme.example>'
 * ```
 */
export async function threadHeaders(
  store: ThreadStore,
  input: { adapterId: string; agentId: string; envelope: OutboundEnvelope },
): Promise<ThreadHeaders> {
  const { envelope } = input;
  let threadId = envelope.entry?.threadId;
  if (threadId === undefined && envelope.to.userId !== undefined) {
    const threads = await store.threads.listByUser(envelope.to.userId);
    threadId = threads.find((thread) => thread.agentId === input.agentId)?.id;
  }
  if (threadId === undefined) return { references: [] };
  const entries = await store.threads.read(threadId, { latest: LOOKBACK_ENTRIES });
  for (const entry of entries.reverse()) {
    if (entry.adapterId !== input.adapterId) continue;
    if (entry.direction === 'inbound' && entry.providerMessageId !== undefined) {
      const meta = extra(entry);
      const subject = entry.metadata?.subject;
      return {
        threadId,
        inReplyTo: entry.providerMessageId,
        references: trimReferences([...stringList(meta?.references), entry.providerMessageId]),
        ...(typeof subject === 'string' ? { subject } : {}),
      };
    }
    if (
      entry.direction === 'outbound' &&
      entry.deliveryId !== undefined &&
      entry.deliveryId !== envelope.deliveryId
    ) {
      const delivery = await store.deliveries.get(entry.deliveryId);
      if (delivery?.providerMessageId === undefined) continue;
      const email = delivery.payload.email as JsonObject | undefined;
      const subject = email?.subject;
      return {
        threadId,
        inReplyTo: delivery.providerMessageId,
        references: [delivery.providerMessageId],
        ...(typeof subject === 'string' ? { subject } : {}),
      };
    }
  }
  return { threadId, references: [] };
}

/** `Re: <subject>`, without stacking `Re: Re:` or `AW:`/`SV:` prefixes clients add. */
export function replySubject(subject: string): string {
  return `Re: ${subject.replace(/^((re|aw|sv|fw|fwd)\s*:\s*)+/i, '')}`;
}

/** A subject for a message that starts a conversation: its first line, shortened. */
export function subjectFromText(text: string | undefined): string {
  const first = (text ?? '')
    .split('\n')
    .find((line) => line.trim() !== '' && !line.startsWith(':::'));
  const line = (first ?? 'Message').trim().replace(/[*#_`]/g, '');
  // 78 characters is RFC 5322's recommended line length (§2.1.1).
  return line.length > 78 ? `${line.slice(0, 75)}…` : line;
}
