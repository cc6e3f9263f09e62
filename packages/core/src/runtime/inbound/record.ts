import type { ChannelAdapter } from '../../adapter/contract';
import type { MessageEvent } from '../../events/inbound-events';
import { boundJson } from '../../message/bounded-json';
import type { JsonObject } from '../../message/json';
import type { InboundRecorded, InboundRecordInput, InboundRecordResult } from '../../store/inbound';
import type { ThreadStore } from '../../store/thread-store';
import type { RuntimeContext } from '../context';
import { senderAddress } from './resolve';

/** The dedupe key of a provider message: one per adapter, so two senders' ids never collide. */
export function inboundClaimKey(adapterId: string, providerMessageId: string): string {
  return `inbound:${adapterId}:${providerMessageId}`;
}

/**
 * What `store.inbound.record` gets for a message event: the sender's stored address (a
 * `ValidationError` naming `from.address` if it has none), the entry, and metadata and reference
 * bounded by `boundJson` (a hostile payload is cut, logged, and still recorded).
 */
export function inboundRecordInput(
  ctx: RuntimeContext,
  adapter: ChannelAdapter,
  event: MessageEvent,
): InboundRecordInput {
  const { message } = event;
  // A provider timestamp ahead of our clock must not stretch the session window.
  const at = new Date(Math.min(message.timestamp.getTime(), ctx.clock.now()));
  const metadata = boundJson<JsonObject>({
    payload: message.payload,
    replyTo: message.replyTo,
    subject: message.subject,
    location: message.location,
    contacts: message.contacts,
    extra: message.metadata,
  });
  const reference = event.reference === undefined ? undefined : boundJson(event.reference);
  const truncated = metadata.truncated ?? reference?.truncated ?? null;
  if (truncated !== null) {
    ctx.logger.warn(
      { adapterId: adapter.id, providerMessageId: message.providerMessageId, reason: truncated },
      'inbound message extras cut to the stored JSON bounds',
    );
  }
  const { displayName } = message.from;
  return {
    claimKey: inboundClaimKey(adapter.id, message.providerMessageId),
    claimTtlMs: ctx.options.inbound.dedupeTtlMs,
    sender: {
      channel: adapter.channel,
      address: senderAddress(adapter, message.from),
      kind: adapter.capabilities.reach.identity,
      ...(displayName === undefined ? {} : { displayName }),
    },
    adapterId: adapter.id,
    ...(reference === undefined ? {} : { reference: reference.value }),
    agentId: ctx.agentId,
    entry: {
      direction: 'inbound',
      at,
      text: message.text,
      channel: adapter.channel,
      adapterId: adapter.id,
      providerMessageId: message.providerMessageId,
      ...(message.media === undefined ? {} : { media: message.media }),
      metadata: metadata.value,
    },
  };
}

/**
 * How long the per-part path's dedupe claim lives until the entry is recorded; only then is it
 * extended to the full `inbound.dedupeTtlMs`. If the record fails and giving the claim back fails
 * too (the database went down between the two), the provider's retry is refused as a duplicate
 * only until this runs out, not for the days of the full window, so the message is not lost.
 * Thirty seconds covers the record's few round trips many times over and is shorter than the
 * providers' retry back-off after a 5xx (Meta, Twilio: tens of seconds and more).
 */
export const PROVISIONAL_CLAIM_MS = 30_000;

/**
 * `InboundLog.record` with the per-part methods, for a store that has no `inbound` part. It is
 * neither atomic nor one round trip: it claims first and gives the claim back if a later step
 * fails (so the provider's retry is processed), but a touch that succeeded before the failure
 * stays. Stores should implement `inbound`.
 *
 * When the store has `dedupe.extend` the claim is provisional ({@link PROVISIONAL_CLAIM_MS}) until
 * the entry is appended. Once it is, the claim is never given back (a retry would append the
 * message twice), and a failure to extend it or to read the held messages is only `warn`ed:
 * the message is recorded, so the caller must answer 2xx.
 */
export async function recordInboundInParts(
  store: ThreadStore,
  input: InboundRecordInput,
  warn: (error: unknown, message: string) => void = () => undefined,
): Promise<InboundRecordResult> {
  const { dedupe } = store;
  const provisional = dedupe.extend !== undefined && input.claimTtlMs > PROVISIONAL_CLAIM_MS;
  const claimTtlMs = provisional ? PROVISIONAL_CLAIM_MS : input.claimTtlMs;
  if (!(await dedupe.claim(input.claimKey, claimTtlMs))) return { duplicate: true };
  let recorded: Omit<InboundRecorded, 'hasHeld'>;
  try {
    const resolved = await store.identities.resolve(input.sender);
    const identity = await store.identities.touch(input.sender, {
      inboundAt: input.entry.at,
      adapterId: input.adapterId,
      ...(input.reference === undefined ? {} : { reference: input.reference }),
    });
    const thread = await store.threads.ensure({ userId: resolved.user.id, agentId: input.agentId });
    const entry = await store.threads.append(thread.id, input.entry);
    recorded = { duplicate: false, ...resolved, identity, thread, entry };
  } catch (error) {
    await dedupe.release(input.claimKey).catch(() => undefined);
    throw error;
  }
  if (provisional) {
    const extended = await dedupe.extend?.(input.claimKey, input.claimTtlMs).catch((error) => {
      warn(error, 'inbound dedupe claim not extended; a provider retry may record it again');
      return true;
    });
    if (extended === false) {
      warn(null, 'inbound dedupe claim expired before the message was recorded');
    }
  }
  let hasHeld = false;
  try {
    const held = await store.held.list(recorded.user.id);
    hasHeld = held.some((message) => message.channel === input.sender.channel);
  } catch (error) {
    // Held messages are released by the user's next message instead.
    warn(error, 'held messages not read after recording an inbound message');
  }
  return { ...recorded, hasHeld };
}

/** Records through `store.inbound` when the store has it, else {@link recordInboundInParts}. */
export function recordInbound(
  store: ThreadStore,
  input: InboundRecordInput,
  warn?: (error: unknown, message: string) => void,
): Promise<InboundRecordResult> {
  return store.inbound ? store.inbound.record(input) : recordInboundInParts(store, input, warn);
}
