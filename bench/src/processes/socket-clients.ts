import WebSocket from 'ws';
import { serveCommands } from '../child';
import { benchUserId, sharedNow, visitorToken } from '../fixtures/webchat';

/**
 * B5's clients, in a child process of their own so they never share the server's event loop: one
 * `ws` client per visitor, each with its own token. `connect` opens them (a few at a time, as
 * visitors arrive), `arm` starts watching, `collect` resolves with when each socket got its first
 * `message` frame after arming (on the clock the server shares, see `sharedNow`).
 */

const sockets: WebSocket[] = [];
let arrivals: Float64Array = new Float64Array(0);
let armed = false;
let pending = 0;
let onAllArrived: (() => void) | undefined;

function open(url: string, index: number, readyOn: 'open' | 'synced'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}?v=1&token=${visitorToken(benchUserId(index))}`, {
      perMessageDeflate: false,
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade answered ${response.statusCode}`)),
    );
    if (readyOn === 'open') ws.once('open', () => resolve(ws));
    ws.on('message', (data) => {
      const at = sharedNow();
      const frame = JSON.parse(String(data)) as { type: string; replay?: boolean };
      if (frame.type === 'synced' && readyOn === 'synced') resolve(ws);
      if (!armed || frame.type !== 'message' || frame.replay) return;
      if (arrivals[index] !== 0) return;
      arrivals[index] = at;
      pending -= 1;
      if (pending === 0) onAllArrived?.();
    });
  });
}

serveCommands(
  { pid: process.pid },
  {
    async connect(input: {
      url: string;
      count: number;
      concurrency: number;
      readyOn: 'open' | 'synced';
    }) {
      const started = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < input.count) {
          const index = next++;
          sockets[index] = await open(input.url, index, input.readyOn);
        }
      };
      await Promise.all(Array.from({ length: input.concurrency }, worker));
      return { connected: sockets.length, seconds: (performance.now() - started) / 1_000 };
    },
    arm() {
      arrivals = new Float64Array(sockets.length);
      pending = sockets.length;
      armed = true;
      return true;
    },
    collect(input: { timeoutMs: number }) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          armed = false;
          resolve({ arrivals: Array.from(arrivals), missing: pending });
        };
        const timer = setTimeout(done, input.timeoutMs);
        onAllArrived = done;
        if (pending === 0) done();
      });
    },
  },
);
