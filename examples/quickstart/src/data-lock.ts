import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file: its content is the pid of the demo that holds the data directory. */
const LOCK_FILE = 'demo.lock';

/** Whether a process with this pid is running (EPERM: it is, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process, or throws naming the demo that has it. PGlite is
 * single-process: two processes on one folder both start, and each overwrites the other's writes
 * (a reply is lost). The lock is a file created exclusively (`wx`) holding our pid; a lock left by
 * a process that is gone (killed, crashed) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new Error(
          `Another demo (pid ${holder}) is using ${dataDir}: PGlite allows one process per data folder. ` +
            `Stop it, or start this one on another folder (THREADLINE_DATA_DIR=…). ` +
            `If no demo is running, delete ${path}.`,
        );
      }
      rmSync(path, { force: true }); // left by a demo that is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}: delete ${path} and start again.`);
}
