import type { InboundRecordInput, InboundRecordResult } from '../../store/inbound';
import type { RuntimeContext } from '../context';
import { GroupCommit } from '../group-commit';
import { recordInbound } from './record';

/** Records one inbound message; `warn` hears what the per-part fallback could not finish. */
export type RecordInbound = (
  input: InboundRecordInput,
  warn?: (error: unknown, message: string) => void,
) => Promise<InboundRecordResult>;

/**
 * Group commit for the inbound pipeline: records go through `store.inbound.recordMany` when the
 * store has it, behind a {@link GroupCommit}, so the webhooks that reach the record in one tick
 * share one write (on a database, throughput then grows with concurrency instead of with the
 * pool size). Each caller still gets its own message's outcome, and a batch the store could not
 * write fails each of its callers with the store's error, so each provider retries its own
 * message. A store without it gets `recordInbound`, one message at a time, as before;
 * `inbound.groupCommitMax: 1` turns grouping off.
 *
 * @example
 * ```ts
 * const record = createInboundRecorder(ctx);
 * const [a, b] = await Promise.all([record(fromAnn), record(fromBob)]); // one recordMany
 * ```
 */
export function createInboundRecorder(ctx: RuntimeContext): RecordInbound {
  const { store } = ctx;
  const maxBatch = ctx.options.inbound.groupCommitMax;
  const recordMany = maxBatch > 1 ? store.inbound?.recordMany?.bind(store.inbound) : undefined;
  if (recordMany === undefined) return (input, warn) => recordInbound(store, input, warn);
  const records = new GroupCommit({ maxBatch, writeMany: recordMany });
  return (input) => records.submit(input);
}
