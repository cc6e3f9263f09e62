import type { JsonObject } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { errorOf, PHONE_A, PHONE_B } from './fixtures';
import type { StoreHarness } from './harness';

/** `IdentityStore` details beside the basics in identities.ts. */
export function describeIdentityRules(h: StoreHarness): void {
  describe('identities: details', () => {
    it('a channel-scoped address spelled like a phone number or email never joins its owner', async () => {
      const host = await h.store.users.create({
        phoneNumbers: [PHONE_A],
        emails: ['ann@example.com'],
      });
      for (const address of [PHONE_A, 'ann@example.com']) {
        const resolved = await h.store.identities.resolve({
          channel: 'teams',
          address,
          kind: 'channel',
        });
        expect(resolved.userCreated).toBe(true);
        expect(resolved.user.id).not.toBe(host.id);
        expect(resolved.user).toMatchObject({ phoneNumbers: [], emails: [] });
      }
      expect(await h.store.identities.listByUser(host.id)).toEqual([]);
    });

    it("touch keeps its own copy of the reference: changing the caller's object changes nothing", async () => {
      const key = { channel: 'teams', address: '29:copy' };
      await h.store.identities.resolve({ ...key, kind: 'channel' });
      const reference: JsonObject = { conversation: { id: 'c1' } };
      await h.store.identities.touch(key, { reference });
      (reference.conversation as JsonObject).id = 'changed';
      reference.extra = true;
      expect((await h.store.identities.get(key))?.reference).toEqual({
        conversation: { id: 'c1' },
      });
    });

    it('touch of an unknown address throws NotFoundError of kind identity, naming the address', async () => {
      await h.store.identities.resolve({ channel: 'sms', address: PHONE_A, kind: 'phone' });
      const error: unknown = await h.store.identities
        .touch({ channel: 'sms', address: PHONE_B }, { inboundAt: h.clock.date() })
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      expect(error).toMatchObject({ ...errorOf('not_found'), kind: 'identity' });
      expect(error).toMatchObject({ code: 'identity_not_found' });
      expect((error as { id?: string }).id).toContain(PHONE_B);
    });
  });
}
