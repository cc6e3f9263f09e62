import { randomUUID } from 'node:crypto';
import { StoreError } from '../../errors/policy';
import type { RuntimeContext } from '../context';

/**
 * How long one first contact may hold an address. Linking takes a few store calls; the lease only
 * has to outlive them, and expires on its own if the process dies holding it.
 */
export const ADDRESS_LEASE_MS = 5_000;
/** How long a first contact waits for another to finish with its address before giving up. */
const ADDRESS_LEASE_WAIT_MS = 2 * ADDRESS_LEASE_MS;
const RETRY_MIN_MS = 10;
const RETRY_MAX_MS = 200;

/**
 * Runs `run` while holding the store lease `address:<channel>:<address>`, so first contacts on one
 * address, on any instance, take turns: two users whose ids normalise to one address (`bob`,
 * `bob `) would otherwise both read "unlinked", both link, and both be told they have it when the
 * store is slow between the link and the read-back. The owner is unique per call: the runtime's
 * own concurrent first contacts must exclude each other too (a lease is re-entrant per owner).
 */
export async function withAddressLease<T>(
  ctx: RuntimeContext,
  address: { channel: string; address: string },
  run: () => Promise<T>,
): Promise<T> {
  const { leases } = ctx.store;
  const key = `address:${address.channel}:${address.address}`;
  const owner = `${ctx.instanceId}:${randomUUID()}`;
  const started = Date.now();
  let wait = RETRY_MIN_MS;
  while (!(await leases.acquire({ key, owner, ttlMs: ADDRESS_LEASE_MS }))) {
    if (Date.now() - started > ADDRESS_LEASE_WAIT_MS) {
      throw new StoreError(
        `the address ${address.address} on ${address.channel} is being linked by another contact; try again`,
        { code: 'address_busy', retryable: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(RETRY_MAX_MS, wait * 2);
  }
  try {
    return await run();
  } finally {
    // Not given back (a store blip) it simply expires: nothing waits on it for long.
    await leases
      .release({ key, owner })
      .catch((error: unknown) => ctx.reportError(error, { phase: 'inbound' }));
  }
}
