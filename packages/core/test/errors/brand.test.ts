import { createFakeClock } from '@threadline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as esm from '../../src/index';
import { createChannels, createHarness } from '../runtime/harness';
import { requireCjsBuild } from './cjs-build';

describe('errors from another copy of @threadline/core (the CJS build beside the ESM source)', () => {
  let cjs: typeof esm;
  let dispose = async () => {};
  beforeAll(async () => {
    ({ core: cjs, dispose } = await requireCjsBuild());
  }, 60_000);
  afterAll(() => dispose());

  it('is a really separate class, so the brand is what makes instanceof work', () => {
    expect(cjs.DeliveryError).not.toBe(esm.DeliveryError);
    const foreign = new cjs.DeliveryError('slow down', {
      category: 'throttled',
      provider: 'meta',
      retryable: true,
    });
    expect(Object.getPrototypeOf(foreign)).not.toBe(esm.DeliveryError.prototype);
    expect(foreign instanceof esm.DeliveryError).toBe(true);
    expect(foreign instanceof esm.ThreadlineError).toBe(true);
    expect(esm.isThreadlineError(foreign)).toBe(true);
    const local = new esm.ValidationError('bad', [{ path: 'to', message: 'x' }]);
    expect(cjs.isThreadlineError(local)).toBe(true);
    expect(local instanceof cjs.ValidationError).toBe(true);
  });

  it('never matches a sibling class or a plain error', () => {
    const validation = new cjs.ValidationError('bad', [{ path: 'to', message: 'missing' }]);
    expect(validation instanceof esm.ValidationError).toBe(true);
    expect(validation instanceof esm.DeliveryError).toBe(false);
    expect(validation instanceof esm.ConfigError).toBe(false);
    expect(new Error('x') instanceof esm.ThreadlineError).toBe(false);
    expect(esm.isThreadlineError({ code: 'x', category: 'validation' })).toBe(false);
    expect(esm.isThreadlineError(null)).toBe(false);
  });

  it('keeps the ordinary prototype check for an unbranded subclass (an adapter error)', () => {
    class AdapterError extends esm.DeliveryError {}
    const plain = new esm.DeliveryError('x', { category: 'provider', provider: 'p' });
    const own = new AdapterError('x', { category: 'provider', provider: 'p' });
    expect(plain instanceof AdapterError).toBe(false);
    expect(own instanceof AdapterError).toBe(true);
    expect(own instanceof esm.DeliveryError).toBe(true);
    expect(own instanceof cjs.DeliveryError).toBe(true);
  });

  it('lets the outbox fail a permanent error thrown by an adapter built against the other copy', async () => {
    const clock = createFakeClock();
    const channels = createChannels(clock);
    const h = await createHarness({ clock, channels });
    try {
      let calls = 0;
      Object.assign(channels.sms, {
        send: async () => {
          calls += 1;
          throw new cjs.DeliveryError('Invalid To number', {
            category: 'invalid_request',
            provider: 'twilio',
            providerCode: '21211',
          });
        },
      });
      const error = await h.threadline.channels
        .send({ channel: 'sms', to: { phoneNumber: '+447700900123' }, text: 'hi' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ category: 'invalid_request', code: 'twilio.21211' });
      clock.advance(3_600_000);
      await h.threadline.runDue();
      expect(calls).toBe(1);
    } finally {
      await h.threadline.stop();
    }
  });
});
