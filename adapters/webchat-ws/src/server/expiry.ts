import type { Clock } from '@threadline/core';
import { CLOSE_CODES } from '../protocol/close-codes';
import type { Connection } from './connection';

/**
 * Node's timers wait at most 2^31 − 1 ms (about 24.8 days); a longer delay fires at once. A token
 * valid for longer is waited for in steps of this.
 * Source: https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes the connection with 4401 when its visitor token expires, to the millisecond rather than
 * at the next heartbeat (up to `heartbeatIntervalMs`, 30 s by default, late: issue 21). The
 * heartbeat still checks expiry too, against the injected clock. Returns the function that cancels
 * the timer, called when the socket closes.
 */
export function closeAtExpiry(connection: Connection, clock: Clock): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const left = connection.identity.expiresAt - clock.now();
    if (left <= 0) {
      connection.close(CLOSE_CODES.UNAUTHORIZED, 'token expired');
      return;
    }
    timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
    // An open socket keeps the process alive already; this timer alone should not.
    timer.unref?.();
  };
  check();
  return () => clearTimeout(timer);
}
