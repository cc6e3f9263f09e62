import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { createThreadline, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter, deriveTestCapabilities } from '@threadline/testkit';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createAiAgent } from '../src/agent';
import { handleReminders } from '../src/tools';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

/** One model step as the provider would stream it: text deltas, or a tool call. */
function step(parts: Array<{ text: string } | { tool: string; input: unknown }>) {
  const chunks: LanguageModelV3StreamPart[] = [];
  let toolCalls = 0;
  for (const part of parts) {
    if ('text' in part) {
      chunks.push({ type: 'text-start', id: 't' });
      for (const word of part.text.split(/(?<= )/)) {
        chunks.push({ type: 'text-delta', id: 't', delta: word });
      }
      chunks.push({ type: 'text-end', id: 't' });
    } else {
      toolCalls += 1;
      chunks.push({
        type: 'tool-call',
        toolCallId: `call-${toolCalls}`,
        toolName: part.tool,
        input: JSON.stringify(part.input),
      });
    }
  }
  chunks.push({
    type: 'finish',
    usage,
    finishReason: { unified: toolCalls > 0 ? 'tool-calls' : 'stop', raw: undefined },
  });
  return { stream: simulateReadableStream({ chunks }) };
}

/** What reached the user: streamed chunks joined, or the text of a plain send. */
const shown = (sent: { envelope: { text?: string }; streamed?: string[] }) =>
  sent.streamed?.join('') ?? sent.envelope.text;

function setup(steps: ReturnType<typeof step>[]) {
  const clock = createFakeClock(new Date('2026-12-02T10:00:00Z'));
  const model = new MockLanguageModelV3({ doStream: steps });
  const chat = createTestAdapter({
    id: 'chat',
    channel: 'webchat',
    clock,
    capabilities: deriveTestCapabilities({
      reach: { cold: 'free-form', addressBy: ['userId'], identity: 'channel' },
      features: { streaming: true },
    }),
  });
  const threadline: Threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [chat],
    clock,
    agentId: 'tea-room',
    onMessage: createAiAgent({ model, threadline: () => threadline, now: clock.now }),
  });
  handleReminders(threadline);
  return { clock, model, chat, threadline };
}

describe('examples/ai-agent', () => {
  it('streams the model answer to a streaming channel piece by piece and records the final text once', async () => {
    const { model, chat, threadline } = setup([
      step([{ text: 'Hello Ann, our oolong is lovely today.' }]),
    ]);
    await threadline.start();
    await chat.receive({ from: 'visitor-ann', text: 'hi, what tea do you recommend?' });
    await threadline.idle();

    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]?.streamed).toEqual([
      'Hello ',
      'Ann, ',
      'our ',
      'oolong ',
      'is ',
      'lovely ',
      'today.',
    ]);
    const call = model.doStreamCalls[0];
    expect(JSON.stringify(call?.prompt)).toContain('[webchat] hi, what tea do you recommend?');

    const userId = chat.sent[0]?.envelope.to.userId as string;
    const thread = await threadline.users.get(userId).thread();
    expect(thread.map((entry) => [entry.direction, entry.text])).toEqual([
      ['inbound', 'hi, what tea do you recommend?'],
      ['outbound', 'Hello Ann, our oolong is lovely today.'],
    ]);
    await threadline.stop();
  });

  it('gives the model the whole thread as history on the next turn', async () => {
    const { model, chat, threadline } = setup([
      step([{ text: 'Hi!' }]),
      step([{ text: 'You asked about green tea.' }]),
    ]);
    await threadline.start();
    await chat.receive({ from: 'visitor-ann', text: 'do you have green tea?' });
    await threadline.idle();
    await chat.receive({ from: 'visitor-ann', text: 'what did I ask?' });
    await threadline.idle();

    const prompt = model.doStreamCalls[1]?.prompt ?? [];
    const said = prompt
      .filter((m) => m.role !== 'system')
      .map((m) => [m.role, JSON.stringify(m.content)]);
    expect(said).toHaveLength(3);
    expect(said[0]?.[1]).toContain('[webchat] do you have green tea?');
    expect(said[1]).toEqual(['assistant', expect.stringContaining('Hi!')]);
    expect(said[2]?.[1]).toContain('[webchat] what did I ask?');
    await threadline.stop();
  });

  it('remind_me schedules a job that sends the reminder on the same channel when it falls due', async () => {
    const { clock, chat, threadline } = setup([
      step([{ tool: 'remind_me', input: { minutes: 90, text: 'Your table is ready at 4pm.' } }]),
      step([{ text: 'Done: I will remind you in 90 minutes.' }]),
    ]);
    await threadline.start();
    await chat.receive({ from: 'visitor-ann', text: 'remind me in 90 minutes please' });
    await threadline.idle();
    expect(chat.sent.map(shown)).toEqual(['Done: I will remind you in 90 minutes.']);

    clock.advance(89 * 60_000);
    expect(await threadline.jobs.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await threadline.jobs.runDue()).toBe(1);
    await threadline.idle();
    expect(chat.sent.map(shown)).toEqual([
      'Done: I will remind you in 90 minutes.',
      'Your table is ready at 4pm.',
    ]);
    await threadline.stop();
  });

  it('send_email tells the model why it could not send when no email adapter is configured', async () => {
    const { model, chat, threadline } = setup([
      step([{ tool: 'send_email', input: { subject: 'Menu', text: 'Green, oolong, rooibos.' } }]),
      step([{ text: 'Sorry, I cannot email you yet.' }]),
    ]);
    await threadline.start();
    await chat.receive({ from: 'visitor-ann', text: 'email me the menu' });
    await threadline.idle();

    const toolResult = JSON.stringify(model.doStreamCalls[1]?.prompt.at(-1));
    expect(toolResult).toContain('"sent":false');
    expect(toolResult).toMatch(/email/i);
    expect(shown(chat.sent.at(-1) ?? { envelope: {} })).toBe('Sorry, I cannot email you yet.');
    await threadline.stop();
  });
});
