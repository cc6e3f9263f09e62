import { z } from 'zod';
import { NotFoundError, NotReachableError } from '../errors/policy';
import { parseInput, ValidationError } from '../errors/validation';
import type { JsonObject } from '../message/json';
import type { Identity } from '../store/identities';
import type { ErasureReport, UserExport } from '../store/privacy';
import type { ThreadEntry, ThreadReadOptions } from '../store/threads';
import type { NewUser, User } from '../store/users';
import { invalidAddressMessage, normalizeAddress } from './address';
import type { RuntimeContext } from './context';
import { sendMessage } from './outbound/send';
import type { SendOutput } from './outbound/types';
import type { Dispatcher } from './outbox/dispatcher';

/** A message for `users.get(id).send`. */
export type UserMessage =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; caption?: string }
  | { type: 'file'; url: string; filename?: string; mimeType?: string };

const UserMessagesSchema = z
  .array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), text: z.string().min(1) }).strict(),
      z.object({ type: z.literal('image'), url: z.url(), caption: z.string().optional() }).strict(),
      z
        .object({
          type: z.literal('file'),
          url: z.url(),
          filename: z.string().optional(),
          mimeType: z.string().optional(),
        })
        .strict(),
    ]),
  )
  .min(1);

const NewUserSchema = z
  .object({
    id: z.string().min(1).optional(),
    displayName: z.string().optional(),
    phoneNumbers: z.array(z.string()).optional(),
    emails: z.array(z.string()).optional(),
    profile: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** One user, addressed by id: the handle `users.get` returns without a round trip. */
export interface UserHandle {
  readonly id: string;
  /** The stored user; `NotFoundError` if there is none. */
  load(): Promise<User>;
  /** Sends to the user's active conversation: the channel (and sender) they last wrote on. */
  send(messages: UserMessage[]): Promise<SendOutput[]>;
  identities(): Promise<Identity[]>;
  /** The user's thread with this agent, oldest first (`{ latest: 50 }` by default). */
  thread(options?: ThreadReadOptions): Promise<ThreadEntry[]>;
}

/**
 * `threadline.users`: the people talking to the agent.
 *
 * @example
 * ```ts
 * const ann = await threadline.users.create({ phoneNumbers: ['+447700900123'], emails: ['ann@example.com'] });
 * await threadline.users.get(ann.id).send([{ type: 'text', text: 'Your table is ready' }]);
 * ```
 */
export interface UsersApi {
  get(userId: string): UserHandle;
  find(userId: string): Promise<User | null>;
  /** Creates a user with known phone numbers (E.164) and emails, so first contact finds them. */
  create(input: NewUser): Promise<User>;
  /** Binds a channel address to a user (the same person on web chat and WhatsApp). */
  link(input: { userId: string; channel: string; address: string }): Promise<Identity>;
  merge(input: { into: string; from: string }): Promise<User>;
  export(userId: string): Promise<UserExport>;
  erase(userId: string): Promise<ErasureReport>;
}

export function createUsersApi(ctx: RuntimeContext, dispatcher: Dispatcher): UsersApi {
  const { store } = ctx;
  const find = (userId: string) => store.users.get(userId);
  const load = async (userId: string) => {
    const user = await find(userId);
    if (!user) throw new NotFoundError('user', userId);
    return user;
  };

  async function sendToActive(userId: string, raw: UserMessage[]): Promise<SendOutput[]> {
    const messages = parseInput(UserMessagesSchema, raw, 'user messages');
    await load(userId);
    const active = (await store.identities.listByUser(userId))
      .filter(
        (identity) =>
          identity.lastInboundAt !== undefined &&
          ctx.adapters.forChannel(identity.channel).length > 0,
      )
      .sort((a, b) => (b.lastInboundAt?.getTime() ?? 0) - (a.lastInboundAt?.getTime() ?? 0))[0];
    if (!active)
      throw new NotReachableError({
        channel: 'any',
        userId,
        reason: 'the user has never written on a configured channel',
      });
    const sender = ctx.adapters.resolveSender({
      channel: active.channel,
      ...(active.lastAdapterId === undefined ? {} : { lastAdapterId: active.lastAdapterId }),
    });
    const outputs: SendOutput[] = [];
    for (const message of messages) {
      const payload =
        message.type === 'text'
          ? { text: message.text }
          : message.type === 'image'
            ? {
                text: message.caption ?? '',
                media: [
                  {
                    kind: 'image' as const,
                    url: message.url,
                    ...(message.caption === undefined ? {} : { caption: message.caption }),
                  },
                ],
              }
            : {
                text: '',
                media: [
                  {
                    kind: 'document' as const,
                    url: message.url,
                    ...(message.filename === undefined ? {} : { filename: message.filename }),
                    ...(message.mimeType === undefined ? {} : { mimeType: message.mimeType }),
                  },
                ],
              };
      outputs.push(
        await sendMessage(ctx, dispatcher, {
          channel: active.channel,
          to: { userId },
          exactAddress: active.address,
          kind: 'free-form',
          origin: 'send',
          payload,
          threadText: message.type === 'text' ? message.text : `[${message.type}] ${message.url}`,
          from: sender.id,
        }),
      );
    }
    return outputs;
  }

  return {
    get(userId) {
      return {
        id: userId,
        load: () => load(userId),
        send: (messages) => sendToActive(userId, messages),
        identities: () => store.identities.listByUser(userId),
        async thread(options = { latest: 50 }) {
          const thread = await store.threads.ensure({
            userId: (await load(userId)).id,
            agentId: ctx.agentId,
          });
          return store.threads.read(thread.id, options);
        },
      };
    },
    find,
    async create(raw) {
      const input = parseInput(NewUserSchema, raw, 'new user');
      const issues: Array<{ path: string; message: string }> = [];
      const contacts = (kind: 'phone' | 'email', path: string, values: readonly string[]) =>
        values.map((value, index) => {
          const normalized = normalizeAddress(kind, value, ctx.options);
          if (normalized === null)
            issues.push({
              path: `${path}.${index}`,
              message: invalidAddressMessage(kind, value, ctx.options),
            });
          return normalized ?? value;
        });
      const phoneNumbers = contacts('phone', 'phoneNumbers', input.phoneNumbers ?? []);
      const emails = contacts('email', 'emails', input.emails ?? []);
      if (issues.length > 0) throw new ValidationError('new user', issues);
      return store.users.create({
        ...(input.id === undefined ? {} : { id: input.id }),
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        phoneNumbers,
        emails,
        ...(input.profile === undefined ? {} : { profile: input.profile as JsonObject }),
      });
    },
    async link({ userId, channel, address }) {
      await load(userId);
      const adapter = ctx.adapters.forChannel(channel)[0];
      if (!adapter)
        throw new ValidationError('link', [
          { path: 'channel', message: `no adapter is configured for ${channel}` },
        ]);
      const kind = adapter.capabilities.reach.identity;
      const normalized = normalizeAddress(kind, address, ctx.options);
      if (normalized === null)
        throw new ValidationError('link', [
          { path: 'address', message: invalidAddressMessage(kind, address, ctx.options) },
        ]);
      return store.identities.link({ channel, address: normalized, kind, userId });
    },
    merge: (input) => store.users.merge(input),
    async export(userId) {
      const exported = await store.privacy.exportUser(userId);
      if (!exported) throw new NotFoundError('user', userId);
      return exported;
    },
    async erase(userId) {
      const report = await store.privacy.eraseUser(userId);
      if (!report) throw new NotFoundError('user', userId);
      return report;
    },
  };
}
