import { describe, expect, it } from 'vitest';
import { formatThread, runHello } from '../src/app';

describe('examples/hello', () => {
  it('prints one thread with the proactive message, both replies and the agent answers in turn', async () => {
    const { thread } = await runHello();
    expect(thread.map((entry) => [entry.seq, entry.direction])).toEqual([
      [1, 'outbound'],
      [2, 'inbound'],
      [3, 'outbound'],
      [4, 'inbound'],
      [5, 'outbound'],
    ]);
    expect(thread[4]?.text).toContain('Earlier you said "Thanks! Can we make it 7:30?"');
    expect(formatThread(thread)).toContain(
      '#1 agent [sms] Hi Ann, your table for two is booked for 7pm.',
    );
  });
});
