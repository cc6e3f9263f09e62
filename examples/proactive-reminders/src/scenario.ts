import type { Delivery, ThreadEntry } from '@threadline/core';
import { type BusinessMessage, createMovableClock } from '@threadline/emulators';
import { type Clinic, startClinic } from './app';
import { APPOINTMENTS, type Appointment, clinicDateTime } from './appointments';
import { REMINDER_TEMPLATE, type ReminderRun } from './reminder-job';

/** Sunday 1 March 2026, 08:00 in London (GMT): the day before the appointments. */
export const START = Date.parse('2026-03-01T08:00:00Z');

const HOUR = 3_600_000;

/** What the example did, for `main.ts` to print and the test to check. */
export interface ExampleResult {
  story: string[];
  runs: ReminderRun[];
  threads: Record<string, ThreadEntry[]>;
  /** Each patient's deliveries, newest first (`templateName` marks the template). */
  deliveries: Record<string, Delivery[]>;
  inboxes: Record<string, BusinessMessage[]>;
}

/**
 * Two patients, two days, the job's two 09:00 ticks, on a clock the example moves (the job's
 * poller, the store, the runtime and the emulator all read it), so it takes a second, not a day:
 *
 * - Sunday 08:00, Bob asks about parking: his window opens, and closes Monday 08:00.
 * - Sunday 09:00, the job ticks: nobody has an appointment on Sunday.
 * - Monday 08:30, Ann asks a question: her window is open.
 * - Monday 09:00, the job ticks: Ann gets the reminder as text; Bob's window is closed, so he gets
 *   the approved template, and his thread records what it said (`messageContext`).
 * - Bob replies to the template; the agent answers knowing what the reminder said.
 */
export async function runRemindersExample(): Promise<ExampleResult> {
  const clock = createMovableClock({ now: () => START });
  const clinic = await startClinic({ clock, diary: APPOINTMENTS });
  const story: string[] = [];
  const say = (line: string) => story.push(`${clinicDateTime(new Date(clock.now()))}  ${line}`);
  const [ann, bob] = APPOINTMENTS as [Appointment, Appointment];
  const phone = (patient: Appointment) =>
    clinic.emulator.receiveFrom(patient.phoneNumber, { name: patient.name });
  const advanceTo = (at: number) => clock.advance(at - clock.now());
  try {
    await phone(bob).send('Is there parking near the clinic?');
    await settle(clinic);
    say('Bob writes "Is there parking near the clinic?" (his 24-hour window opens)');

    advanceTo(START + 1 * HOUR);
    let run = await tick(clinic);
    say(`the reminder job runs: ${run.reports.length} appointments today`);

    advanceTo(START + 24.5 * HOUR);
    await phone(ann).send('Can I bring my daughter?');
    await settle(clinic);
    say('Ann writes "Can I bring my daughter?" (her window opens; Bob\'s closed at 08:00)');

    advanceTo(START + 25 * HOUR);
    run = await tick(clinic);
    say(`the reminder job runs: ${run.reports.length} appointments today`);
    for (const report of run.reports) {
      say(
        report.via === 'text'
          ? `  ${report.name}: window open → text sent (${report.sent.status}): "${report.recorded}"`
          : `  ${report.name}: window closed → WindowClosedError → template ${REMINDER_TEMPLATE.name} sent (${report.sent.status}); the thread records "${report.recorded}"`,
      );
    }

    advanceTo(START + 25.25 * HOUR);
    await phone(bob).send('Can I come at 12 instead?');
    await settle(clinic);
    say('Bob replies "Can I come at 12 instead?" and the agent answers with the reminder in view');

    const threads: Record<string, ThreadEntry[]> = {};
    const deliveries: Record<string, Delivery[]> = {};
    const inboxes: Record<string, BusinessMessage[]> = {};
    for (const patient of [ann, bob]) {
      threads[patient.name] = await clinic.threadline.users.get(patient.userId).thread();
      deliveries[patient.name] = await clinic.threadline.deliveries.list({
        userId: patient.userId,
      });
      inboxes[patient.name] = clinic.emulator.inbox(patient.phoneNumber);
    }
    return { story, runs: clinic.runs, threads, deliveries, inboxes };
  } finally {
    await clinic.stop();
  }
}

/** Lets the agent, the outbox and the emulator's status webhooks finish. */
async function settle(clinic: Clinic): Promise<void> {
  await clinic.threadline.idle();
  await clinic.emulator.idle();
  await clinic.threadline.idle();
}

/**
 * Runs the job tick that the clock has just reached. The scheduler's own poller would pick it up
 * within a second; `runDue()` does it now. Whichever claims it, it runs once.
 */
async function tick(clinic: Clinic): Promise<ReminderRun> {
  const before = clinic.runs.length;
  const finished = new Promise<void>((resolve, reject) => {
    const offDone = clinic.threadline.on('job.completed', () => {
      offDone();
      offFailed();
      resolve();
    });
    const offFailed = clinic.threadline.on('job.failed', ({ error }) => {
      offDone();
      offFailed();
      reject(error);
    });
  });
  await clinic.threadline.jobs.runDue();
  await finished;
  await settle(clinic);
  const run = clinic.runs[before];
  if (!run) throw new Error('the reminder job did not run');
  return run;
}
