import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, createTestAdapter, deriveTestCapabilities } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createThreadline, type Threadline, type ThreadStore } from '../../src/index';
import {
  type AdmissionPlace,
  SEND_ADMISSION_LIMIT,
  SendAdmission,
} from '../../src/runtime/outbound/admission';

const FAST = { perSecond: 100_000 };

/** Resolves the place `enter` gives, at once or once it is free. */
const place = async (admission: SendAdmission): Promise<AdmissionPlace> => admission.enter();

describe('SendAdmission', () => {
  it('lets `limit` in at once, without a promise, and the rest in arrival order as places free up', async () => {
    const admission = new SendAdmission(2);
    const first = admission.enter();
    const second = admission.enter();
    expect(first).not.toBeInstanceOf(Promise);
    expect(second).not.toBeInstanceOf(Promise);
    const admitted: string[] = [];
    const noting = (name: string) => (p: AdmissionPlace) => {
      admitted.push(name);
      return p;
    };
    const third = place(admission).then(noting('third'));
    const fourth = place(admission).then(noting('fourth'));
    expect(admission.waiting).toBe(2);
    await Promise.resolve();
    expect(admitted).toEqual([]);

    (first as AdmissionPlace).release();
    // Giving a place back twice frees it once.
    (first as AdmissionPlace).release();
    await third;
    await Promise.resolve();
    expect(admitted).toEqual(['third']);
    expect(admission.waiting).toBe(1);

    (second as AdmissionPlace).release();
    (await fourth).release();
    (await third).release();
    expect(admitted).toEqual(['third', 'fourth']);
    // Both places are free again: the next two go in at once, a third waits.
    expect(admission.enter()).not.toBeInstanceOf(Promise);
    expect(admission.enter()).not.toBeInstanceOf(Promise);
    expect(admission.enter()).toBeInstanceOf(Promise);
  });

  it('keeps arrival order over thousands of waiting sends', async () => {
    const admission = new SendAdmission(1);
    const holder = admission.enter() as AdmissionPlace;
    const order: number[] = [];
    const waiting = Array.from({ length: 5_000 }, (_, index) =>
      place(admission).then((p) => {
        order.push(index);
        p.release();
      }),
    );
    holder.release();
    await Promise.all(waiting);
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(admission.waiting).toBe(0);
  });
});

describe('channels.send through the admission gate', () => {
  let threadline: Threadline | undefined;
  afterEach(async () => {
    await threadline?.stop();
  });

  async function setUp(store: ThreadStore, onSend?: () => Promise<void>) {
    const clock = createFakeClock();
    const sms = createTestAdapter({
      id: 'sms',
      channel: 'sms',
      clock,
      capabilities: deriveTestCapabilities({ rate: FAST }),
      ...(onSend === undefined ? {} : { onSend }),
    });
    threadline = createThreadline({
      store,
      adapters: [sms],
      clock,
      outbox: { pollIntervalMs: 3_600_000 },
      jobs: { pollIntervalMs: 3_600_000 },
    });
    await threadline.start();
    return { sms, threadline };
  }

  const phone = (index: number) => `+4477009${String(index).padStart(5, '0')}`;

  it('has at most SEND_ADMISSION_LIMIT sends between validation and their delivery write', async () => {
    const store = createMemoryStore();
    // Delivery writes wait until released: every admitted send piles up in front of them.
    let openWrites!: () => void;
    const writesOpen = new Promise<void>((resolve) => {
      openWrites = resolve;
    });
    const createMany = store.deliveries.createMany?.bind(store.deliveries);
    if (createMany === undefined) throw new Error('the memory store has createMany');
    store.deliveries.createMany = async (inputs) => {
      await writesOpen;
      return createMany(inputs);
    };
    let lookedUp = 0;
    const recipientMany = store.outbound.recipientMany?.bind(store.outbound);
    if (recipientMany === undefined) throw new Error('the memory store has recipientMany');
    store.outbound.recipientMany = (inputs) => {
      lookedUp += inputs.length;
      return recipientMany(inputs);
    };
    const { threadline: runtime, sms } = await setUp(store);
    const count = SEND_ADMISSION_LIMIT * 3;
    const sends = Array.from({ length: count }, (_, index) =>
      runtime.channels.send({ channel: 'sms', to: { phoneNumber: phone(index) }, text: 'hi' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lookedUp).toBe(SEND_ADMISSION_LIMIT);
    expect(sms.sent).toHaveLength(0);

    openWrites();
    const results = await Promise.all(sends);
    expect(results.every((result) => result.delivered)).toBe(true);
    expect(lookedUp).toBe(count);
    // Admitted in call order: each number got its own message, in that order.
    expect(sms.sent.map((sent) => sent.envelope.to.address)).toEqual(
      Array.from({ length: count }, (_, index) => phone(index)),
    );
  });

  it('does not hold a place while the provider call runs: a slow provider never blocks later sends', async () => {
    let release!: () => void;
    const providerOpen = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { threadline: runtime, sms } = await setUp(createMemoryStore(), async () => {
      calls += 1;
      // Every send but the last waits on the provider.
      if (calls <= SEND_ADMISSION_LIMIT + 10) await providerOpen;
    });
    const stuck = Array.from({ length: SEND_ADMISSION_LIMIT + 10 }, (_, index) =>
      runtime.channels.send({ channel: 'sms', to: { phoneNumber: phone(index) }, text: 'slow' }),
    );
    const late = await runtime.channels.send({
      channel: 'sms',
      to: { phoneNumber: phone(99_999) },
      text: 'not held up',
    });
    expect(late.delivered).toBe(true);
    expect(sms.sent.map((sent) => sent.envelope.text)).toEqual(['not held up']);
    release();
    expect((await Promise.all(stuck)).every((result) => result.delivered)).toBe(true);
  });

  it('gives the place back when a send fails before its delivery is written', async () => {
    const { threadline: runtime } = await setUp(createMemoryStore());
    const refused = Array.from({ length: SEND_ADMISSION_LIMIT + 5 }, () =>
      runtime.channels.send({ channel: 'sms', to: { userId: 'nobody' }, text: 'hi' }),
    );
    const settled = await Promise.allSettled(refused);
    expect(settled.every((result) => result.status === 'rejected')).toBe(true);
    const sent = await runtime.channels.send({
      channel: 'sms',
      to: { phoneNumber: phone(1) },
      text: 'still open',
    });
    expect(sent.delivered).toBe(true);
  });
});
