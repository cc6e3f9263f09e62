import type { StoreHealth } from '@threadline/core';
import type { Connection } from './connection';

/**
 * The readiness check: a `PING` on the store's own connection (the one every command uses), so a
 * store that cannot reach Redis is not ready. Never throws: an unreachable server is `ok: false`
 * with the reason. Redis has no schema to be behind.
 *
 * @example
 * ```ts
 * await checkHealth(conn); // { ok: true, detail: 'PING answered PONG' }
 * ```
 */
export async function checkHealth(conn: Connection): Promise<StoreHealth> {
  try {
    const reply = await conn.command('health', ['PING']);
    if (reply === 'PONG') return { ok: true, detail: 'PING answered PONG' };
    return { ok: false, detail: `PING answered ${JSON.stringify(reply)}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
