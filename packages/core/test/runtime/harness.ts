import { createMemoryStore } from '@threadline/store-memory';
import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  type FakeClock,
  type TestAdapter,
  testCapabilityVariants,
} from '@threadline/testkit';
import { afterEach } from 'vitest';
import type {
  AgentTurn,
  TemplateMessage,
  Threadline,
  ThreadlineOptions,
  ThreadStore,
} from '../../src/index';
import { createThreadline } from '../../src/index';

/** High enough that pacing never slows a test down. */
const FAST = { perSecond: 100_000 };

export const HOUR = 3_600_000;

export const reEngagement: TemplateMessage = {
  name: 'reopen_chat',
  languageCode: 'en_US',
  category: 'UTILITY',
};

function withTemplate(adapter: TestAdapter, template: TemplateMessage | undefined): TestAdapter {
  if (template)
    Object.defineProperty(adapter, 'reEngagementTemplate', { value: template, enumerable: true });
  return adapter;
}

/** The channels the runtime tests use: WhatsApp-, SMS-, Teams- and email-like test adapters. */
export function createChannels(
  clock: FakeClock,
  options: { reEngagementTemplate?: TemplateMessage | null } = {},
) {
  const template =
    options.reEngagementTemplate === null
      ? undefined
      : (options.reEngagementTemplate ?? reEngagement);
  return {
    whatsapp: withTemplate(
      createTestAdapter({
        id: 'wa',
        channel: 'whatsapp',
        clock,
        capabilities: deriveTestCapabilities({ rate: FAST }, testCapabilityVariants.templateOnly),
      }),
      template,
    ),
    sms: createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: deriveTestCapabilities(
        { rate: FAST, text: { maxLength: 1600 } },
        testCapabilityVariants.restrictive,
      ),
    }),
    teams: createTestAdapter({
      id: 'teams',
      channel: 'teams',
      clock,
      capabilities: deriveTestCapabilities({ rate: FAST }, testCapabilityVariants.warmOnly),
    }),
    email: createTestAdapter({
      id: 'email',
      channel: 'email',
      clock,
      capabilities: deriveTestCapabilities({
        rate: FAST,
        reach: { cold: 'free-form', addressBy: ['userId', 'email'], identity: 'email' },
      }),
    }),
  };
}

export type Channels = ReturnType<typeof createChannels>;

export interface Harness {
  clock: FakeClock;
  store: ThreadStore;
  channels: Channels;
  threadline: Threadline;
  turns: AgentTurn[];
  errors: unknown[];
}

/**
 * A started runtime on the memory store with a fake clock. The outbox poller is effectively off
 * (tests call `runDue` when they move the clock), so nothing happens behind a test's back.
 */
export async function createHarness(
  options: Partial<ThreadlineOptions> & {
    clock?: FakeClock;
    store?: ThreadStore;
    channels?: Channels;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? createFakeClock();
  const store = options.store ?? createMemoryStore({ clock });
  const channels = options.channels ?? createChannels(clock);
  const turns: AgentTurn[] = [];
  const errors: unknown[] = [];
  const threadline = createThreadline({
    store,
    adapters: Object.values(channels),
    clock,
    random: () => 0.5,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    onMessage: (turn) => {
      turns.push(turn);
    },
    onError: (error) => {
      errors.push(error);
    },
    ...options,
  });
  await threadline.start();
  return { clock, store, channels, threadline, turns, errors };
}

/**
 * `start(store, clock?, groupCommitMax?)` for a describe block whose runtimes stop after each
 * test: a harness on `store`, with `outbox.groupCommitMax` set when given (grouping on or off).
 */
export function harnessesStoppedAfterEach() {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });
  return async function start(
    store: ThreadStore,
    clock = createFakeClock(),
    groupCommitMax?: number,
  ): Promise<Harness> {
    const h = await createHarness({
      clock,
      store,
      ...(groupCommitMax === undefined
        ? {}
        : { outbox: { pollIntervalMs: 3_600_000, groupCommitMax } }),
    });
    harnesses.push(h);
    return h;
  };
}
