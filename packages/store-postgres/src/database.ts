import { type Clock, StoreError } from '@threadline/core';
import type { Driver, Queryable, StopListening } from './driver/driver';
import { toStoreError } from './errors';
import { type MigrationReport, runMigrations } from './migrations/index';
import type { Names } from './names';

/**
 * What every part of the store shares: the driver behind a gate, the names, the clock and the id
 * maker. Every query goes through {@link Database.query} or {@link Database.transaction}, which
 * wait for the driver and the first-use migration, refuse calls after `close()`, and turn driver
 * errors into Threadline errors (see `toStoreError`).
 */
export interface Database {
  readonly names: Names;
  readonly clock: Clock;
  readonly generateId: () => string;
  /** "Now" from the injected clock: every TTL, lease and timestamp starts here, never SQL now(). */
  now(): Date;
  query<Row = Record<string, unknown>>(
    operation: string,
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  transaction<T>(operation: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A {@link Queryable} outside any transaction, for helpers shared with transactional code. */
  bound(operation: string): Queryable;
  listen(channel: string, onPayload: (payload: string) => void): Promise<StopListening>;
  migrate(): Promise<MigrationReport>;
  /**
   * The schema version recorded in the database (`null` before the first migration), read
   * without running the first-use migration: a readiness probe must see the schema as it is.
   */
  schemaVersion(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Makes the shared {@link Database}. The driver is opened lazily (a PGlite data directory takes a
 * moment to open) and, with `autoMigrate`, the schema is brought up to date before the first
 * query. A failed start (the server is down) is not remembered: the next call tries again.
 */
export function createDatabase(input: {
  openDriver: () => Promise<Driver>;
  names: Names;
  clock: Clock;
  generateId: () => string;
  autoMigrate: boolean;
}): Database {
  let driver: Promise<Driver> | undefined;
  let ready: Promise<Driver> | undefined;
  let closed = false;

  const now = () => new Date(input.clock.now());

  function open(): Promise<Driver> {
    driver ??= input.openDriver().catch((error: unknown) => {
      driver = undefined;
      throw error;
    });
    return driver;
  }

  function started(operation: string, migrated = input.autoMigrate): Promise<Driver> {
    if (closed) {
      return Promise.reject(
        new StoreError(`The Postgres store is closed (called ${operation})`, {
          code: 'store_closed',
        }),
      );
    }
    if (!migrated) return open();
    ready ??= open()
      .then(async (opened) => {
        await runMigrations(opened, input.names, now());
        return opened;
      })
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
    return ready;
  }

  async function guarded<T>(
    operation: string,
    work: (driver: Driver) => Promise<T>,
    migrated?: boolean,
  ): Promise<T> {
    try {
      return await work(await started(operation, migrated));
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  return {
    names: input.names,
    clock: input.clock,
    generateId: input.generateId,
    now,
    query: (operation, text, params) => guarded(operation, (d) => d.query(text, params)),
    transaction: (operation, fn) => guarded(operation, (d) => d.transaction(fn)),
    bound: (operation) => ({
      query: (text, params) => guarded(operation, (d) => d.query(text, params)),
      exec: (text) => guarded(operation, (d) => d.exec(text)),
    }),
    listen: (channel, onPayload) =>
      guarded('pubsub.subscribe', (d) => d.listen(channel, onPayload)),
    // An explicit migrate() reports what it applied itself, so it skips the first-use migration;
    // once it succeeds, the first use has nothing left to wait for.
    migrate: () =>
      guarded(
        'migrate',
        async (opened) => {
          const report = await runMigrations(opened, input.names, now());
          ready ??= Promise.resolve(opened);
          return report;
        },
        false,
      ),
    schemaVersion: () =>
      guarded(
        'health',
        async (opened) => {
          const [table] = await opened.query<{ found: string | null }>(
            'SELECT to_regclass($1) AS found',
            [input.names.migrations],
          );
          if (table?.found === null || table?.found === undefined) return null;
          const [row] = await opened.query<{ version: number | null }>(
            `SELECT max(version) AS version FROM ${input.names.migrations}`,
          );
          return row?.version === null || row?.version === undefined ? null : Number(row.version);
        },
        false,
      ),
    async close() {
      if (closed) return;
      closed = true;
      const opened = await driver?.catch(() => undefined);
      await opened?.close();
    },
  };
}
