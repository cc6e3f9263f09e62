import type { Clock } from '@threadline/core';
import { CLOSE_CODES } from '../protocol/close-codes';
import type { ConnectionRegistry } from './registry';

/**
 * Starts the heartbeat: every `intervalMs`, pings each set-up socket and cuts those that did not
 * answer the last ping or whose token expired. Returns the function that stops it.
 */
export function startHeartbeat(input: {
  registry: ConnectionRegistry;
  clock: Clock;
  intervalMs: number;
}): () => void {
  const timer = setInterval(() => beat(input.registry, input.clock.now()), input.intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

function beat(registry: ConnectionRegistry, now: number): void {
  for (const connection of registry.all()) {
    if (connection.identity.expiresAt <= now) {
      connection.close(CLOSE_CODES.UNAUTHORIZED, 'token expired');
      continue;
    }
    if (!connection.isAlive) {
      // terminate, not close: a peer that stopped answering will not answer a close either.
      connection.ws.terminate();
      continue;
    }
    connection.isAlive = false;
    connection.ws.ping();
  }
}
