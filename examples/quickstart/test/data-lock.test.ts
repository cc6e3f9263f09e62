import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../src/data-lock';
import { startDemo } from '../src/demo';

describe('one demo per PGlite data folder', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second start on a folder a running demo holds, before opening the database', async () => {
    const dataDir = fresh();
    // Held by a live process (this one), as a first `pnpm demo` would.
    writeFileSync(join(dataDir, 'demo.lock'), String(process.pid));
    await expect(startDemo({ port: 0, dataDir })).rejects.toThrow(
      new RegExp(`Another demo \\(pid ${process.pid}\\) is using .*THREADLINE_DATA_DIR`),
    );
    expect(existsSync(join(dataDir, 'db'))).toBe(false);
  });

  it('holds the folder until released, then lets the next demo in', () => {
    const dataDir = fresh();
    const release = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, 'demo.lock'), 'utf8')).toBe(String(process.pid));
    // Same process, second claim: refused too (two demos in one process share nothing either).
    expect(() => lockDataDir(dataDir)).toThrow(/Another demo/);
    release();
    lockDataDir(dataDir)();
  });

  it('takes over a lock left by a demo that is gone', () => {
    const dataDir = fresh();
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
    writeFileSync(join(dataDir, 'demo.lock'), String(gone));
    const release = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, 'demo.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
