import type { InspectorUser } from './inspector';

/** One step of the home page's guided tour, ticked off from what the thread and deliveries show. */
export interface TourStep {
  id: string;
  /** What to do, and where. */
  label: string;
  done: boolean;
}

const wrote = (user: InspectorUser, channel: string) =>
  user.thread.some((entry) => entry.direction === 'inbound' && entry.channel === channel);

const sentFirst = (user: InspectorUser, channel: string) =>
  user.deliveries.some(
    (delivery) =>
      delivery.channel === channel && delivery.origin === 'send' && delivery.status !== 'failed',
  );

/**
 * The tour of the demo, in the order a visitor meets it. Each step is done when its trace is in
 * the store (an entry, a delivery) or on the clock, so it ticks itself off whichever page the
 * visitor did it from, and stays ticked after a restart.
 */
export function tourSteps(user: InspectorUser | undefined, clockOffsetHours: number): TourStep[] {
  const has = (test: (user: InspectorUser) => boolean) => (user ? test(user) : false);
  return [
    { id: 'webchat', label: 'Say hi in the web chat', done: has((u) => wrote(u, 'webchat')) },
    {
      id: 'whatsapp',
      label: 'Ask “what did I say?” from the WhatsApp phone',
      done: has((u) => wrote(u, 'whatsapp')),
    },
    {
      id: 'proactive',
      label: 'Send a proactive WhatsApp message from the inspector',
      done: has((u) => sentFirst(u, 'whatsapp')),
    },
    { id: 'skip', label: 'Skip 25 hours on the inspector', done: clockOffsetHours >= 25 },
    {
      id: 'held',
      label: 'Send it again: held behind a template; tap “Show me” on the phone',
      done: has((u) =>
        u.deliveries.some((delivery) => delivery.held && delivery.status !== 'queued'),
      ),
    },
    {
      id: 'email',
      label: 'Send an email from the inspector and reply from Ann’s inbox',
      done: has((u) => wrote(u, 'email')),
    },
    { id: 'sms', label: 'Text the agent from the SMS phone', done: has((u) => wrote(u, 'sms')) },
    {
      id: 'messenger',
      label: 'Write on Messenger (a proactive send before that is refused)',
      done: has((u) => wrote(u, 'messenger')),
    },
    {
      id: 'teams',
      label: 'Install the Teams app for Ann, then send to her on Teams',
      done: has((u) => sentFirst(u, 'teams')),
    },
  ];
}
