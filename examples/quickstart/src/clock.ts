import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMovableClock, type MovableClock, systemClock } from '@threadline/emulators';

/** The demo's one clock, shared by the runtime, the store and the WhatsApp emulator. */
export interface DemoClock extends MovableClock {
  /** How far ahead of real time the demo runs, in milliseconds. */
  offsetMs(): number;
}

const FILE = 'clock.json';

/**
 * Real time plus every "skip 25 hours" pressed so far. The offset is saved in the data directory:
 * the store's timestamps, leases and due times were written in skipped time, so a restart that
 * went back to real time would find its own data in the future (windows open for a day too long,
 * jobs and retries not due).
 */
export function openDemoClock(dataDir: string): DemoClock {
  const file = join(dataDir, FILE);
  let offset = readOffset(file);
  const clock = createMovableClock(systemClock);
  clock.advance(offset);
  return {
    now: () => clock.now(),
    offsetMs: () => offset,
    advance(ms) {
      clock.advance(ms);
      offset += ms;
      writeFileSync(file, `${JSON.stringify({ offsetMs: offset })}\n`);
    },
  };
}

function readOffset(file: string): number {
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
    return typeof offsetMs === 'number' && Number.isFinite(offsetMs) && offsetMs > 0 ? offsetMs : 0;
  } catch {
    return 0; // first start, or an unreadable file: real time
  }
}
