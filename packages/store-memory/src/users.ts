import {
  type ContactPoint,
  checkContact,
  type FieldIssue,
  type NewUser,
  newUserContacts,
  normalizeContact,
  type User,
  type UserStore,
  ValidationError,
} from '@threadline/core';
import { copy } from './copy';
import { mergeUsers } from './merge';
import { contactKey, type MemoryState, now, requireUser } from './state';

/** Throws a `ValidationError` naming `path` if another user than `userId` owns the contact. */
function checkFree(
  state: MemoryState,
  contact: ContactPoint,
  path: string,
  userId: string | undefined,
): void {
  const owner = state.contacts.get(contactKey(contact));
  if (owner !== undefined && owner !== userId) {
    const issue: FieldIssue = {
      path,
      message: `${contact.value} already belongs to user ${owner} (merge the users instead)`,
    };
    throw new ValidationError('contact point', [issue]);
  }
}

/** Adds a normalised, free contact to a stored user and the contact index. */
export function attachContact(state: MemoryState, user: User, contact: ContactPoint): void {
  const list = contact.kind === 'phone' ? user.phoneNumbers : user.emails;
  if (!list.includes(contact.value)) list.push(contact.value);
  state.contacts.set(contactKey(contact), user.id);
}

/** Creates a stored user (no checks): used by `create` and by identity resolution. */
export function insertUser(
  state: MemoryState,
  input: { id?: string; displayName?: string; profile?: User['profile'] },
): User {
  const at = now(state);
  const user: User = {
    id: input.id ?? state.generateId(),
    phoneNumbers: [],
    emails: [],
    profile: copy(input.profile ?? {}),
    createdAt: at,
    updatedAt: at,
  };
  if (input.displayName !== undefined) user.displayName = input.displayName;
  state.users.set(user.id, user);
  return user;
}

/**
 * Users and their contact points. Phone numbers are stored in E.164 and emails lower-cased, so a
 * host that writes `+44 7700 900123` and a provider that sends `+447700900123` mean one person.
 *
 * @example
 * ```ts
 * const user = await store.users.create({ phoneNumbers: ['+447700900123'], emails: ['ann@example.com'] });
 * await store.users.findByContact({ kind: 'email', value: 'Ann@Example.com' }); // user
 * ```
 */
export function createUserStore(state: MemoryState): UserStore {
  return {
    async create(input: NewUser) {
      if (input.id !== undefined && state.users.has(input.id)) {
        throw new ValidationError('user', [{ path: 'id', message: `user ${input.id} exists` }]);
      }
      // Check every contact before writing anything, so a refused create leaves no trace.
      const contacts = newUserContacts(input);
      for (const { contact, path } of contacts) checkFree(state, contact, path, undefined);
      const user = insertUser(state, input);
      for (const { contact } of contacts) attachContact(state, user, contact);
      return copy(user);
    },

    async get(userId) {
      const user = state.users.get(userId);
      return user === undefined ? null : copy(user);
    },

    async findByContact(contact) {
      const normalized = normalizeContact(contact);
      if (normalized === null) return null;
      const userId = state.contacts.get(contactKey(normalized));
      const user = userId === undefined ? undefined : state.users.get(userId);
      return user === undefined ? null : copy(user);
    },

    async update(userId, patch) {
      const user = requireUser(state, userId);
      if (patch.displayName !== undefined) user.displayName = patch.displayName;
      if (patch.profile !== undefined) user.profile = copy(patch.profile);
      user.updatedAt = now(state);
      return copy(user);
    },

    async addContact(userId, contact) {
      const user = requireUser(state, userId);
      const normalized = checkContact(contact, 'value');
      checkFree(state, normalized, 'value', userId);
      attachContact(state, user, normalized);
      user.updatedAt = now(state);
      return copy(user);
    },

    async merge({ into, from }) {
      return copy(mergeUsers(state, { into, from }));
    },
  };
}
