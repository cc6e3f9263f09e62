import type {
  IdentityStore,
  OutboundLookup,
  SendRecipient,
  SendRecipientInput,
} from '@threadline/core';
import { StoreError } from '@threadline/core';
import { defineScript, type Reply } from './connection';
import { readConsent } from './consent';
import type { RedisContext } from './context';
import { toIdentity } from './identity-records';
import { READ_THREAD_LUA, readThread, toThread } from './threads';

/**
 * KEYS: identity, thread-by-agent (both in the owner's slot). ARGV: agentId, the owner's tag, the
 * key prefix. Answers nil when the identity is not there, else `{ identity }` with the thread's
 * hash, or its id when a merge left it in another slot, as a second item when there is one.
 */
const LOOKUP = defineScript(
  'outbound-recipient',
  `${READ_THREAD_LUA}local identity = redis.call('HGETALL', KEYS[1])
if #identity == 0 then return false end
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return { identity } end
if string.sub(id, 1, #ARGV[2]) == ARGV[2] then return { identity, read_thread(ARGV[3] .. 't:' .. id) } end
return { identity, id }`,
);

/**
 * A send's recipient in two round trips for a known address: the address's owner and its consent
 * record together (two single keys, which Cluster may place apart, so two commands sent at once),
 * then one script in the owner's slot for the identity and the thread. One round trip, as the
 * contract suggests for a server, would need the directory, the consent list and the user's data
 * in one slot, which the key layout keeps apart on purpose (see `keys.ts`).
 *
 * No `recipientMany`: node-redis sends the commands of lookups made in one tick together already,
 * so a batch would save no round trip.
 *
 * @example
 * ```ts
 * const found = await store.outbound.recipient({ channel: 'sms', address: '+447700900123',
 *   agentId: 'support', create: { kind: 'phone' } });
 * ```
 */
export function createOutboundLookup(ctx: RedisContext, identities: IdentityStore): OutboundLookup {
  /** The identity and thread in `owner`'s slot; `null` when the identity is not (or no longer) there. */
  async function inSlot(
    owner: string,
    input: SendRecipientInput,
  ): Promise<Omit<SendRecipient, 'optedOut'> | null> {
    const reply = await ctx.conn.run(
      'outbound.recipient',
      LOOKUP,
      [ctx.keys.identity(owner, input.channel, input.address), ctx.keys.threadByAgent(owner)],
      [input.agentId, ctx.keys.userTag(owner), ctx.keys.prefix],
    );
    if (!Array.isArray(reply)) return null;
    const identity = toIdentity(reply[0] ?? null);
    if (identity === null) return null;
    const thread: Reply = reply[1] ?? null;
    if (thread === null) return { identity, thread: null };
    return {
      identity,
      thread: typeof thread === 'string' ? await readThread(ctx, thread) : toThread(thread),
    };
  }

  return {
    async recipient(input) {
      const [owner, consent] = await Promise.all([
        ctx.conn.command('outbound.recipient', [
          'GET',
          ctx.keys.address(input.channel, input.address),
        ]),
        readConsent(ctx, input),
      ]);
      const optedOut = consent?.status === 'opted-out';
      let found = typeof owner === 'string' ? await inSlot(owner, input) : null;
      if (found === null && input.create !== undefined) {
        // A first contact (or an address whose owner was erased): resolve as `identities.resolve`
        // does, then read the thread the user it joined may already have with this agent.
        const { user } = await identities.resolve({
          channel: input.channel,
          address: input.address,
          kind: input.create.kind,
        });
        found = await inSlot(user.id, input);
        // Erased or relinked between the two steps: the caller may simply try again.
        if (found === null) {
          throw new StoreError(
            `Redis store: outbound.recipient: ${input.channel}:${input.address} changed owner while it was read; try again`,
            { code: 'store_unavailable', retryable: true },
          );
        }
      }
      return found === null ? null : { ...found, optedOut };
    },
  };
}
