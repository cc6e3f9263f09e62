import { parseMessage } from '../../components/parse';
import type { MessagePart } from '../../components/parts';
import type { OutboundEnvelope } from '../../message/outbound';
import type { Delivery } from '../../store/deliveries';
import type { Identity } from '../../store/identities';
import type { RuntimeContext } from '../context';
import type { DeliveryPayload } from './payload';

/** What only the first, in-process attempt knows: the live stream and the entry just written. */
export interface LiveAttempt {
  stream?: AsyncIterable<string>;
  entry?: { threadId: string; seq: number };
  /**
   * The recipient's identity, as the caller just read it in this same call with consent (the
   * send policy, or a bulk send): the first attempt then need not read either again. `null`: the
   * address has no identity (a bulk send to a number never met).
   */
  checked?: { identity: Identity | null };
  /** The payload text's parts, parsed by the caller already. */
  parts?: MessagePart[];
}

/** How far back a later attempt looks for the delivery's thread entry (retries are recent). */
const ENTRY_LOOKBACK = 200;

async function findEntry(ctx: RuntimeContext, delivery: Delivery): Promise<LiveAttempt['entry']> {
  if (delivery.threadId === undefined) return undefined;
  const entries = await ctx.store.threads.read(delivery.threadId, { latest: ENTRY_LOOKBACK });
  const entry = entries.find((candidate) => candidate.deliveryId === delivery.id);
  return entry ? { threadId: entry.threadId, seq: entry.seq } : undefined;
}

/** What an envelope is built from. */
export interface EnvelopeInput {
  delivery: Delivery;
  payload: DeliveryPayload;
  identity: Identity | null;
  live?: LiveAttempt;
}

/**
 * Whether building the envelope must first look for the delivery's thread entry: a later attempt
 * of a recorded delivery. The first attempt knows its entry (or streams, and has none yet).
 */
export function needsEntryLookup(delivery: Delivery, live: LiveAttempt | undefined): boolean {
  return live?.entry === undefined && live?.stream === undefined && delivery.threadId !== undefined;
}

/**
 * The envelope an adapter gets for a delivery: the stored payload, parsed once, with the
 * recipient's current reference (a Teams reference may have changed since it was queued) and the
 * thread entry that records it, for channels that number messages by thread `seq`. Reads the
 * entry only when {@link needsEntryLookup} says so; {@link envelopeOf} builds it without reading.
 */
export async function buildEnvelope(
  ctx: RuntimeContext,
  input: EnvelopeInput,
): Promise<OutboundEnvelope> {
  const entry = needsEntryLookup(input.delivery, input.live)
    ? await findEntry(ctx, input.delivery)
    : input.live?.entry;
  return envelopeOf(input, entry);
}

/**
 * The envelope, with `entry` as the thread entry: synchronous, for the first attempt (every
 * send's), which knows its entry.
 */
export function envelopeOf(input: EnvelopeInput, entry: LiveAttempt['entry']): OutboundEnvelope {
  const { delivery, payload, identity, live } = input;
  const to: OutboundEnvelope['to'] = { address: delivery.recipient };
  if (delivery.userId !== undefined) to.userId = delivery.userId;
  if (identity?.reference !== undefined) to.reference = identity.reference;
  // Fields set one by one rather than spread in: this runs for every send, and each conditional
  // spread allocates an object and copies it (bench B5).
  const envelope: OutboundEnvelope = { deliveryId: delivery.id, to };
  if (payload.text !== undefined) {
    envelope.text = payload.text;
    envelope.parts = live?.parts ?? parseMessage(payload.text);
  }
  if (live?.stream !== undefined) envelope.stream = live.stream;
  if (payload.media !== undefined) envelope.media = payload.media;
  if (payload.template !== undefined) envelope.template = payload.template;
  if (payload.replyTo !== undefined) envelope.replyTo = payload.replyTo;
  if (payload.tag !== undefined) envelope.tag = payload.tag;
  if (payload.email !== undefined) envelope.email = payload.email;
  if (entry !== undefined) envelope.entry = entry;
  return envelope;
}
