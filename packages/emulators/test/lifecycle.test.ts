import { describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../src/background-work';
import { createServerLifecycle } from '../src/http/lifecycle';
import { createSseHub } from '../src/http/sse';

function lifecycle() {
  return createServerLifecycle({
    name: 'Test',
    host: '127.0.0.1',
    port: 0,
    handler: async (_req, res) => void res.end('ok'),
    work: createBackgroundWork((error) => {
      throw error;
    }),
    hub: createSseHub(),
  });
}

describe('createServerLifecycle', () => {
  it('names the emulator when its url is asked for before start', () => {
    expect(() => lifecycle().url()).toThrow(
      'The Test emulator is not running: await emulator.start() first',
    );
  });

  it('serves after start, ignores a second start, and cannot be restarted after stop', async () => {
    const life = lifecycle();
    await life.start();
    const url = life.url();
    await life.start();
    expect(life.url()).toBe(url);
    expect(await (await fetch(url)).text()).toBe('ok');
    await life.stop();
    await expect(fetch(url)).rejects.toThrow();
    await expect(life.start()).rejects.toThrow('This Test emulator was stopped; create a new one');
  });
});
