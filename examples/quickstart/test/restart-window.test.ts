import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../src/config';
import { type Demo, startDemo } from '../src/demo';

/**
 * The WhatsApp emulator keeps its state in memory, the store on disk. After a restart within
 * Ann's 24-hour window both must agree the window is open: otherwise the core sends free-form
 * text the emulator refuses (131047), a bubble her real phone would never show.
 */
describe('the demo after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threadline-restart-window-'));
  let demo: Demo | undefined;
  const settle = async (running: Demo) => {
    await running.threadline.idle();
    await running.emulator.idle();
    await running.threadline.idle();
  };

  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('reopens the emulator window the store remembers, so a proactive text is not refused', async () => {
    const first = await startDemo({ port: 0, dataDir });
    demo = first;
    await first.emulator.receiveFrom(DEMO_USER.phoneNumber).send('hi from my phone');
    await settle(first);
    await first.stop();

    const second = await startDemo({ port: 0, dataDir });
    demo = second;
    const ann = second.emulator.receiveFrom(DEMO_USER.phoneNumber);
    expect(ann.windowOpen()).toBe(true);
    const response = await fetch(`${second.url}api/users/${DEMO_USER.id}/proactive-whatsapp`, {
      method: 'POST',
      headers: { 'x-threadline-demo': '1' },
    });
    expect(response.status).toBe(200);
    await settle(second);
    const inbox = second.emulator.inbox(DEMO_USER.phoneNumber);
    expect(inbox.map((message) => message.type)).toEqual(['interactive']);
    expect(inbox.filter((message) => message.status === 'refused')).toEqual([]);
  }, 120_000);
});
