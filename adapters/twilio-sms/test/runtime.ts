import {
  type AgentTurn,
  type ChannelAdapter,
  createThreadline,
  type Threadline,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { expect } from 'vitest';
import { signedRequest } from './webhooks';

/** The public base the runtime is told it is reached at (Twilio signs over it). */
export const PUBLIC_BASE = 'https://agent.example.test';

/** A runtime around the given adapters: memory store, fake clock, quiet pollers. */
export interface TestRuntime {
  threadline: Threadline;
  clock: FakeClock;
  turns: AgentTurn[];
  errors: unknown[];
  /** Posts a signed webhook for `adapter` through the runtime's own HTTP edge. */
  post(adapter: ChannelAdapter, params: Record<string, string>): Promise<Response>;
}

export async function startRuntime(
  adapters: (clock: FakeClock) => ChannelAdapter[],
  onMessage?: (turn: AgentTurn) => Promise<void>,
  store?: ReturnType<typeof createMemoryStore>,
  clock: FakeClock = createFakeClock(),
): Promise<TestRuntime> {
  const turns: AgentTurn[] = [];
  const errors: unknown[] = [];
  const threadline = createThreadline({
    store: store ?? createMemoryStore({ clock }),
    adapters: adapters(clock),
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    webhooks: { publicBaseUrl: PUBLIC_BASE },
    onMessage: async (turn) => {
      turns.push(turn);
      await onMessage?.(turn);
    },
    onError: (error) => errors.push(error),
  });
  await threadline.start();
  return {
    threadline,
    clock,
    turns,
    errors,
    async post(adapter, params) {
      const url = `${PUBLIC_BASE}/webhooks/${adapter.id}`;
      const response = await threadline.fetch(
        signedRequest(params, { url, requestUrl: `http://127.0.0.1:3000/webhooks/${adapter.id}` }),
      );
      expect(response.status).toBe(200);
      await threadline.idle();
      return response;
    },
  };
}
