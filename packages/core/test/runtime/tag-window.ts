import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  type TestAdapter,
  testCapabilityVariants,
} from '@threadline/testkit';
import type { EventSink } from '../../src/index';
import { createHarness, type Harness } from './harness';

/**
 * A Messenger-like test adapter: warm-only, a 24 h window with message tags outside it, the app
 * allowed `allowed` tags; and the runtime's sink, to emit the events the test format lacks.
 */
export async function createTagHarness(
  allowed: readonly string[] = [],
): Promise<Harness & { messenger: TestAdapter; sink: () => EventSink }> {
  const clock = createFakeClock();
  const messenger = createTestAdapter({
    id: 'page',
    channel: 'messenger',
    clock,
    capabilities: deriveTestCapabilities(
      {
        rate: { perSecond: 100_000 },
        window: {
          hours: 24,
          outside: 'tag',
          tags: [
            { name: 'HUMAN_AGENT', hours: 168, use: 'a person answers' },
            { name: 'CONFIRMED_EVENT_UPDATE', use: 'an event the user registered for' },
          ],
        },
      },
      testCapabilityVariants.warmOnly,
    ),
  });
  Object.defineProperty(messenger, 'windowTags', { value: allowed, enumerable: true });
  let sink: EventSink | undefined;
  const start = messenger.start.bind(messenger);
  messenger.start = async (context) => {
    sink = context.sink;
    await start(context);
  };
  const h = await createHarness({ clock, channels: { messenger } as never });
  return {
    ...h,
    messenger,
    sink: () => {
      if (sink === undefined) throw new Error('not started');
      return sink;
    },
  };
}
