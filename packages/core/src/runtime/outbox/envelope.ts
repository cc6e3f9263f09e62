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

/**
 * The envelope an adapter gets for a delivery: the stored payload, parsed once, with the
 * recipient's current reference (a Teams reference may have changed since it was queued) and the
 * thread entry that records it, for channels that number messages by thread `seq`.
 */
export async function buildEnvelope(
  ctx: RuntimeContext,
  input: {
    delivery: Delivery;
    payload: DeliveryPayload;
    identity: Identity | null;
    live?: LiveAttempt;
  },
): Promise<OutboundEnvelope> {
  const { delivery, payload, identity, live = {} } = input;
  const entry = live.entry ?? (live.stream ? undefined : await findEntry(ctx, delivery));
  return {
    deliveryId: delivery.id,
    to: {
      address: delivery.recipient,
      ...(delivery.userId === undefined ? {} : { userId: delivery.userId }),
      ...(identity?.reference === undefined ? {} : { reference: identity.reference }),
    },
    ...(payload.text === undefined
      ? {}
      : { text: payload.text, parts: live.parts ?? parseMessage(payload.text) }),
    ...(live.stream === undefined ? {} : { stream: live.stream }),
    ...(payload.media === undefined ? {} : { media: payload.media }),
    ...(payload.template === undefined ? {} : { template: payload.template }),
    ...(payload.replyTo === undefined ? {} : { replyTo: payload.replyTo }),
    ...(payload.tag === undefined ? {} : { tag: payload.tag }),
    ...(payload.email === undefined ? {} : { email: payload.email }),
    ...(entry === undefined ? {} : { entry }),
  };
}
