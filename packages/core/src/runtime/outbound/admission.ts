import type { RuntimeContext } from '../context';

/**
 * Sends that may be on their way to the outbox at once, per runtime: validated and reading the
 * recipient, checking the policy, writing the delivery and its thread entry. Twice the default
 * group-commit batch (`outbox.groupCommitMax`), so one batch of reads or writes can fill while
 * the one before it is written; a runtime configured with bigger batches admits twice its batch.
 *
 * Why a limit at all: a host reaching every user at once (10,000 `channels.send` calls in one
 * tick, bench B5) used to move every call through each step together, so every call's
 * intermediate state was alive at once. The young generation could not hold it, and each
 * scavenge copied and promoted most of it: in a warmed-up burst of 2,000 sends, 18 MB promoted
 * and 100 ms of scavenges, against 9 MB and 55 ms admitted 200 at a time (`bench/src/tools/
 * webchat-send-cpu.ts` under `--trace-gc-nvp`). Admitted a batch or two at a time, the calls move
 * through the same steps (group commit still shares each read and write among the calls of a
 * turn), their state dies young, and the first messages leave while later calls still wait.
 */
export const SEND_ADMISSION_LIMIT = 200;

/**
 * A FIFO gate in front of the outbound pipeline (see {@link SEND_ADMISSION_LIMIT}). A send holds
 * its place from validation until its delivery is written (or it ends before that), never while
 * it waits for a rate slot, a provider or a stream: those wait outside, so a slow provider or a
 * paced sender never holds up sends on other channels.
 *
 * @example
 * ```ts
 * const place = await admission.enter();
 * try { await sendMessage(ctx, dispatcher, { ...request, admission: place }); } finally { place.release(); }
 * ```
 */
export class SendAdmission {
  #free: number;
  /** Resolvers of the sends waiting, oldest at `#head`. */
  #waiting: Array<(() => void) | undefined> = [];
  #head = 0;

  constructor(limit: number) {
    this.#free = limit;
  }

  /**
   * A place in the pipeline: at once when one is free and nobody waits (then without a promise,
   * so a lone send pays nothing), else when the sends before it have given theirs back.
   */
  enter(): AdmissionPlace | Promise<AdmissionPlace> {
    if (this.#free > 0 && this.#head === this.#waiting.length) {
      this.#free -= 1;
      return new AdmissionPlace(this);
    }
    return new Promise((resolve) => {
      this.#waiting.push(() => resolve(new AdmissionPlace(this)));
    });
  }

  /** Sends waiting for a place. */
  get waiting(): number {
    return this.#waiting.length - this.#head;
  }

  /** A place was given back: the oldest waiting send takes it, else it is free. */
  leave(): void {
    const next = this.#waiting[this.#head];
    if (next === undefined) {
      this.#free += 1;
      return;
    }
    this.#waiting[this.#head] = undefined;
    this.#head += 1;
    // Drop the handled prefix now and then rather than shifting on every leave.
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
    } else if (this.#head >= 1_024 && this.#head * 2 >= this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    next();
  }
}

/** One send's place in the pipeline; giving it back twice gives it back once. */
export class AdmissionPlace {
  #admission: SendAdmission | undefined;

  constructor(admission: SendAdmission) {
    this.#admission = admission;
  }

  release(): void {
    const admission = this.#admission;
    this.#admission = undefined;
    admission?.leave();
  }
}

const admissions = new WeakMap<RuntimeContext, SendAdmission>();

/** The runtime's gate (one per runtime, so every public send surface shares it). */
export function sendAdmission(ctx: RuntimeContext): SendAdmission {
  let admission = admissions.get(ctx);
  if (admission === undefined) {
    const batch = ctx.options.outbox.groupCommitMax;
    admission = new SendAdmission(Math.max(SEND_ADMISSION_LIMIT, 2 * batch));
    admissions.set(ctx, admission);
  }
  return admission;
}
