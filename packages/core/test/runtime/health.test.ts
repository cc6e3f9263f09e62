import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter } from '@threadline/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createThreadline,
  READINESS_STORE_TIMEOUT_MS,
  type Threadline,
  type ThreadStore,
} from '../../src/index';

let threadline: Threadline | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await threadline?.stop();
  threadline = undefined;
});

function runtime(store: ThreadStore = createMemoryStore(), adapters = [createTestAdapter()]) {
  threadline = createThreadline({ store, adapters });
  return threadline;
}

describe('threadline.health', () => {
  it('is live at once and answers 200 with the instance, without touching the store', async () => {
    const store = createMemoryStore();
    const get = vi.spyOn(store.users, 'get');
    const live = runtime(store).health.liveResponse();
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(await live.json()).toMatchObject({ ok: true, checks: [{ name: 'runtime', ok: true }] });
    expect(get).not.toHaveBeenCalled();
  });

  it('is not ready before start() (503) and ready after it (200), listing store and adapters', async () => {
    const t = runtime();
    const before = await t.health.readyResponse();
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({
      ok: false,
      checks: [
        { name: 'runtime', ok: false, detail: 'start() has not been called' },
        { name: 'store', ok: true },
        { name: 'adapters', ok: true, detail: 'test (test)' },
      ],
    });
    await t.start();
    const after = await t.health.readyResponse();
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ok: true });
  });

  it("uses the store's own check when it has one, and reports what it says", async () => {
    const store: ThreadStore = {
      ...createMemoryStore(),
      health: async () => ({ ok: false, detail: 'schema version 1, this code needs 2' }),
    };
    const t = runtime(store);
    await t.start();
    const report = await t.health.ready();
    expect(report.ok).toBe(false);
    expect(report.checks[1]).toEqual({
      name: 'store',
      ok: false,
      detail: 'schema version 1, this code needs 2',
    });
  });

  it('reports a store that throws as unreachable, with the reason', async () => {
    const store = createMemoryStore();
    vi.spyOn(store.users, 'get').mockRejectedValue(new Error('connection refused'));
    const t = runtime(store);
    await t.start();
    expect((await t.health.ready()).checks[1]).toEqual({
      name: 'store',
      ok: false,
      detail: 'unreachable: connection refused',
    });
  });

  it('gives up on a store that hangs after READINESS_STORE_TIMEOUT_MS', async () => {
    const store = createMemoryStore();
    const t = runtime(store);
    await t.start();
    vi.spyOn(store.users, 'get').mockReturnValue(new Promise(() => undefined));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pending = t.health.ready();
    await vi.advanceTimersByTimeAsync(READINESS_STORE_TIMEOUT_MS);
    expect((await pending).checks[1]).toEqual({
      name: 'store',
      ok: false,
      detail: `unreachable: no answer within ${READINESS_STORE_TIMEOUT_MS} ms`,
    });
  });

  it('is not ready with no adapters configured', async () => {
    const t = runtime(createMemoryStore(), []);
    await t.start();
    const report = await t.health.ready();
    expect(report.ok).toBe(false);
    expect(report.checks[2]).toEqual({
      name: 'adapters',
      ok: false,
      detail: 'no adapters configured',
    });
  });
});
