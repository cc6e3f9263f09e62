import { createMemoryStore, type MemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { AdapterRegistry, BackgroundWork, type RuntimeContext } from '../../../src/runtime/context';
import { type ThreadlineEventMap, ThreadlineEvents } from '../../../src/runtime/events';
import { createJobs, type JobsApi } from '../../../src/runtime/jobs/scheduler';
import type { ErrorContext } from '../../../src/runtime/options';
import { ThreadlineOptionsSchema } from '../../../src/runtime/options';
import type { ThreadStore } from '../../../src/store/thread-store';
import { Telemetry } from '../../../src/telemetry/telemetry';
import { silentLogger } from '../../../src/time/logger';

/** One instance's view: its context, scheduler, and what it reported. */
export interface JobsInstance {
  ctx: RuntimeContext;
  jobs: JobsApi;
  failed: ThreadlineEventMap['job.failed'][];
  completed: ThreadlineEventMap['job.completed'][];
  errors: { error: unknown; context: ErrorContext }[];
}

/** A store and a clock shared by any number of instances, like a deployment with one database. */
export interface JobsWorld {
  clock: FakeClock;
  store: MemoryStore;
  instance(options?: { instanceId?: string; leaseMs?: number }): JobsInstance;
}

/** A shared store on a fake clock starting 2026-01-01T00:00:00Z (a Thursday, winter time). */
export function createJobsWorld(): JobsWorld {
  const clock = createFakeClock();
  const store = createMemoryStore({ clock });
  let count = 0;
  return {
    clock,
    store,
    instance(options = {}) {
      count += 1;
      const failed: JobsInstance['failed'] = [];
      const completed: JobsInstance['completed'] = [];
      const errors: JobsInstance['errors'] = [];
      const reportError = (error: unknown, context: ErrorContext) =>
        errors.push({ error, context });
      const events = new ThreadlineEvents((error) => reportError(error, { phase: 'listener' }));
      events.on('job.failed', (event) => failed.push(event));
      events.on('job.completed', (event) => completed.push(event));
      const ctx: RuntimeContext = {
        store: store as ThreadStore,
        adapters: new AdapterRegistry([]),
        agentId: 'test-agent',
        instanceId: options.instanceId ?? `instance-${count}`,
        clock,
        logger: silentLogger,
        events,
        options: ThreadlineOptionsSchema.parse({
          store,
          adapters: [],
          jobs: { pollIntervalMs: 60_000, leaseMs: options.leaseMs ?? 5 * 60_000 },
        }),
        background: new BackgroundWork(),
        random: () => 0.5,
        telemetry: new Telemetry(false),
        reportError,
      };
      return { ctx, jobs: createJobs(ctx), failed, completed, errors };
    },
  };
}

/** Milliseconds in a minute, an hour, a day: tests read better as `clock.advance(3 * DAY)`. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Moves the clock to an ISO instant. */
export function at(world: JobsWorld, iso: string): void {
  world.clock.set(new Date(iso));
}
