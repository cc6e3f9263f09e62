import { rmSync } from 'node:fs';
import { FIGURES_DIR, readAll, table } from './figures';
import { findPostgresBinaries } from './private-postgres';

/**
 * Checks up front that the scenarios can run for real, and prints every scenario's figures as one
 * table at the end of the run, passing or failing.
 */
export function setup(): void {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  // No fallback: a fault suite that quietly skipped its database-restart scenario would prove
  // nothing. Debian's `postgresql` package provides them.
  if (findPostgresBinaries() === undefined) {
    throw new Error(
      'the fault suite needs PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql: install the postgresql package',
    );
  }
}

/** Prints the figures of every scenario that ran, as one table. */
export function teardown(): void {
  console.info(`\nThreadline fault suite: figures per scenario\n\n${table(readAll())}\n`);
}
