/** How the parent describes one runtime process to `bin/instance.ts` (JSON in an env variable). */
export interface InstanceConfig {
  instanceId: string;
  store:
    | { kind: 'postgres'; url: string; schema: string }
    | { kind: 'redis'; url: string; keyPrefix: string };
  graphUrl: string;
  /** The adapter's pacing (messages per second). */
  perSecond: number;
  outbox: { leaseMs: number; pollIntervalMs: number; batchSize?: number };
  /**
   * The agent answers each message with `re: <text>`, and prints `agent <attempt> <text>` when a
   * turn reaches it and `replied <attempt> <text>` once its reply returned (the attempt stays out
   * of the reply, so the provider counts a second answer to one message as a duplicate). A turn
   * taken over (attempt 2 or more) whose reply is already in the thread prints
   * `answered <attempt> <text>` and sends nothing.
   */
  reply?: boolean;
  /** The agent thinks this long (ms) before it replies, so a kill finds turns in progress. */
  agentDelayMs?: number;
  /** Durable turns: their lease, and how often this process looks for turns of a dead one. */
  inbound?: { turnLeaseMs?: number; turnPollIntervalMs?: number };
  /** Serve webhooks on a free port (printed as `ready <port>`). */
  serve?: boolean;
  /**
   * Wait for a `start` line before starting the runtime (and its outbox poller), so several
   * processes begin polling at the same moment.
   */
  startOnCommand?: boolean;
  /**
   * This process's clock runs this far ahead of the wall clock (runtime and store alike), so
   * deliveries scheduled for later are due to it at once, while the writer never sends them.
   */
  clockAheadMs?: number;
}

/** The env variable the config travels in. */
export const INSTANCE_CONFIG_ENV = 'THREADLINE_FAULT_INSTANCE';
