import type { TestContext } from 'vitest';

/**
 * How the suite treats an optional batch read (`consent.isOptedOutMany`, `identities.getMany`):
 * `true` requires it, `false` requires it absent, `undefined` checks it when the store has it.
 */
export type ReadBatchOffer = boolean | undefined;

/**
 * The store's batch read bound to its part, for a rule that checks it. A store that lacks it
 * fails the rule when it was declared (`true`); otherwise the rule shows as skipped, with the
 * reason, rather than passing without checking anything.
 */
export function batchReadOrSkip<P extends object, K extends keyof P>(
  context: TestContext,
  offered: ReadBatchOffer,
  part: P,
  name: K,
  label: string,
): NonNullable<P[K]> {
  const method = part[name];
  if (typeof method === 'function') return method.bind(part) as NonNullable<P[K]>;
  if (offered === true) throw new Error(`${label} is missing, but readBatches: true declares it`);
  return context.skip(`the store has no ${label} (the core reads one address at a time)`);
}
