import type { Logger } from '@threadline/core';
import type { Connection, Reply } from './connection';

/** What Redis persists, as `CONFIG GET` reports it; `null` when CONFIG is disabled (managed Redis). */
export interface PersistenceReport {
  appendonly: boolean;
  appendfsync?: string;
  /** The RDB snapshot rules (`save`), empty when snapshots are off. */
  save: string;
}

function configValue(reply: Reply): string | undefined {
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined;
}

/**
 * Reads the server's persistence settings. Many managed services rename or disable `CONFIG`;
 * then the answer is `null` and nothing is assumed.
 */
export async function readPersistence(conn: Connection): Promise<PersistenceReport | null> {
  try {
    const appendonly = configValue(
      await conn.command('persistence', ['CONFIG', 'GET', 'appendonly']),
    );
    const save = configValue(await conn.command('persistence', ['CONFIG', 'GET', 'save']));
    const appendfsync = configValue(
      await conn.command('persistence', ['CONFIG', 'GET', 'appendfsync']),
    );
    if (appendonly === undefined || save === undefined) return null;
    const report: PersistenceReport = { appendonly: appendonly === 'yes', save };
    if (appendfsync !== undefined) report.appendfsync = appendfsync;
    return report;
  } catch {
    return null;
  }
}

/**
 * Warns once when Redis persists nothing (no AOF, no RDB snapshots): a restart of Redis then
 * loses every thread, identity and queued delivery. Returns the report it based that on.
 */
export async function warnWithoutPersistence(
  conn: Connection,
  logger: Pick<Logger, 'warn'>,
): Promise<PersistenceReport | null> {
  const report = await readPersistence(conn);
  if (report !== null && !report.appendonly && report.save.trim() === '') {
    logger.warn(
      { appendonly: 'no', save: '' },
      'redis store: Redis has persistence off (appendonly no, no save rules): a Redis restart loses every thread, identity and queued delivery. Turn on AOF (appendonly yes, appendfsync everysec or always) for anything but tests.',
    );
  }
  return report;
}
