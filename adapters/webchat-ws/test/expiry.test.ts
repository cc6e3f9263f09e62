import type { FakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/index';
import { type ChatServer, startChatServer, TestClient } from './helpers';

/** Real time, in the fake clock's shape: this test is about when a real timer fires. */
const realClock: FakeClock = {
  now: () => Date.now(),
  date: () => new Date(),
  advance: () => {
    throw new Error('the real clock cannot be moved');
  },
  set: () => {
    throw new Error('the real clock cannot be moved');
  },
};

/** How late a close may be on a loaded 2-core machine (the heartbeat made it up to 30 s). */
const TOLERANCE_MS = 400;

describe('visitor token expiry', () => {
  let server: ChatServer;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const open of clients.splice(0)) open.ws.terminate();
    await server?.close();
  });

  it('closes the socket with 4401 when its token expires, not at the next heartbeat', async () => {
    // The default heartbeat (30 s): only the per-connection timer can close it in time.
    server = await startChatServer({ clock: realClock });
    const token = await server.token('u1', 2);
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
      .exp as number;
    const tab = await TestClient.connect(server.url, { token });
    clients.push(tab);
    const closed = await tab.closed;
    const closedAt = Date.now();
    expect(closed).toEqual({ code: CLOSE_CODES.UNAUTHORIZED, reason: 'token expired' });
    expect(closedAt).toBeGreaterThanOrEqual(expiresAt * 1000);
    expect(closedAt).toBeLessThan(expiresAt * 1000 + TOLERANCE_MS);
  });

  it("closes only the socket whose token expired; another user's stays open and working", async () => {
    server = await startChatServer({ clock: realClock });
    const short = await TestClient.connect(server.url, { token: await server.token('u1', 2) });
    const long = await TestClient.connect(server.url, { token: await server.token('u2', 3600) });
    clients.push(short, long);
    expect((await short.closed).code).toBe(CLOSE_CODES.UNAUTHORIZED);
    expect((await long.say('still here', 'c-1')).seq).toBe(1);
    expect(long.ws.readyState).toBe(long.ws.OPEN);
  });
});
