import { describe, expect, it } from 'vitest';
import { errorOf, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** Expects `call` to fail with a `ValidationError` whose issues name exactly `paths`. */
async function refusedAt(call: () => Promise<unknown>, paths: string[]): Promise<void> {
  const error: unknown = await call().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toMatchObject(errorOf('validation'));
  const issues = (error as { issues?: Array<{ path: string }> }).issues ?? [];
  expect(issues.map((issue) => issue.path)).toEqual(paths);
}

/**
 * `UserStore` details beside the basics in users.ts: what `update` leaves alone, an absent display
 * name, malformed lookups, and the field a refusal names.
 */
export function describeUserRules(h: StoreHarness): void {
  describe('users: details', () => {
    it('update of only the profile keeps the display name', async () => {
      const user = await h.store.users.create({ displayName: 'Ann', profile: { plan: 'pro' } });
      const updated = await h.store.users.update(user.id, { profile: { plan: 'free' } });
      expect(updated).toMatchObject({ displayName: 'Ann', profile: { plan: 'free' } });
      expect(await h.store.users.get(user.id)).toMatchObject({ displayName: 'Ann' });
    });

    it('a user without a display name has no displayName key, created or merged', async () => {
      const created = await h.store.users.create({ phoneNumbers: [PHONE_A] });
      expect(created).not.toHaveProperty('displayName');
      expect(await h.store.users.get(created.id)).not.toHaveProperty('displayName');
      const { user: resolved } = await h.store.identities.resolve({
        channel: 'sms',
        address: PHONE_B,
        kind: 'phone',
      });
      expect(resolved).not.toHaveProperty('displayName');
      const merged = await h.store.users.merge({ into: created.id, from: resolved.id });
      expect(merged).not.toHaveProperty('displayName');
      expect(await h.store.users.get(created.id)).not.toHaveProperty('displayName');
    });

    it('findByContact of a malformed phone number or email returns null', async () => {
      await h.store.users.create({ phoneNumbers: [PHONE_A], emails: ['ann@example.com'] });
      expect(await h.store.users.findByContact({ kind: 'phone', value: 'call me' })).toBeNull();
      expect(
        await h.store.users.findByContact({ kind: 'email', value: 'not-an-email' }),
      ).toBeNull();
    });

    it('a refused contact point names its field: phoneNumbers.<i>, emails.<i>, value', async () => {
      const ann = await h.store.users.create({ emails: ['ann@example.com'] });
      await refusedAt(
        () => h.store.users.create({ phoneNumbers: [PHONE_A, 'call me'] }),
        ['phoneNumbers.1'],
      );
      await refusedAt(
        () => h.store.users.create({ phoneNumbers: [PHONE_B], emails: ['ANN@example.com'] }),
        ['emails.0'],
      );
      await refusedAt(
        () => h.store.users.create({ emails: ['bob@example.com', 'nope'] }),
        ['emails.1'],
      );
      const bob = await h.store.users.create({});
      await refusedAt(
        () => h.store.users.addContact(bob.id, { kind: 'email', value: 'ann@example.com' }),
        ['value'],
      );
      await refusedAt(
        () => h.store.users.addContact(bob.id, { kind: 'phone', value: 'call me' }),
        ['value'],
      );
      expect((await h.store.users.get(ann.id))?.emails).toEqual(['ann@example.com']);
      expect(await h.store.users.findByContact({ kind: 'phone', value: PHONE_B })).toBeNull();
    });

    it('a refused id names id, and merging a user into itself names from', async () => {
      const user = await h.store.users.create({ id: 'crm-7' });
      await refusedAt(() => h.store.users.create({ id: 'crm-7' }), ['id']);
      await refusedAt(() => h.store.users.merge({ into: user.id, from: user.id }), ['from']);
    });
  });
}
