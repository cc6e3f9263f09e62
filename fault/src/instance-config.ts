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
  /** The agent answers each message with `re: <text>`. */
  reply?: boolean;
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
