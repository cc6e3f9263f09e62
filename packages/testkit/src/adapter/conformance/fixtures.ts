import type {
  AdapterContext,
  ChannelAdapter,
  DeliveryErrorCategory,
  InboundEvent,
  Recipient,
  TemplateMessage,
} from '@threadline/core';
import type { FakeClock } from '../../fake-clock';
import type { RenderedMessage } from './rendered';

/** A deep partial, for `toMatchObject`: only the fields given are compared. */
type DeepPartial<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * An inbound event as a fixture expects it: its `type` and any fields to compare with
 * `toMatchObject` (asymmetric matchers such as `expect.any(Date)` are welcome).
 */
export type ExpectedInboundEvent = InboundEvent extends infer E
  ? E extends InboundEvent
    ? DeepPartial<E> & { type: E['type'] }
    : never
  : never;

/** What the suite passes to the adapter factory: a fresh fake clock per test. */
export interface AdapterFactoryContext {
  clock: FakeClock;
}

/** Builds a fresh adapter for each test. */
export type AdapterFactory = (
  context: AdapterFactoryContext,
) => ChannelAdapter | Promise<ChannelAdapter>;

/**
 * Inbound over HTTP (WhatsApp Cloud, Twilio, Messenger, Teams, an email inbound-parse webhook).
 * The suite derives the forged requests from `valid()` itself: unsigned (`signatureHeader`
 * removed), malformed (the header set to garbage) and tampered (one body byte changed, header
 * kept); each must be answered 401 with nothing emitted.
 */
export interface WebhookInboundFixture {
  kind: 'webhook';
  /** Names the case in test titles, e.g. `inbound text message`. */
  name?: string;
  /**
   * The URL the provider "called", passed as `WebhookContext.publicUrl` (Twilio signs over it).
   * Build `valid()`'s request for this URL.
   */
  publicUrl: string;
  /** A correctly signed request. Called once per test: a Request body can be read only once. */
  valid(): Request | Promise<Request>;
  /** The events `valid()` must emit, in order, compared with `toMatchObject`. */
  expected: ExpectedInboundEvent[];
  /** The header carrying the signature: `x-hub-signature-256`, `x-twilio-signature`, `authorization`. */
  signatureHeader: string;
  /**
   * What the signature covers. `body` (default): a changed body byte must be refused. `sender`:
   * the signature authenticates the caller only (Bot Framework's JWT, Telegram's secret token), so
   * the tampered-body test does not apply and is not registered.
   */
  signatureCovers?: 'body' | 'sender';
}

/** What a connection fixture's `trigger` receives: the adapter, started by the suite. */
export interface ConnectionTriggerContext {
  adapter: ChannelAdapter;
  /** The context the adapter was started with (its sink records for the suite). */
  context: AdapterContext;
}

/**
 * Inbound over a connection the adapter holds (web chat sockets, an SMTP listener): the suite
 * starts the adapter with a recording sink, calls `trigger` (open a socket and write, send a mail
 * to the listener) and waits for the expected events. Webhook signature tests do not apply (a
 * connection authenticates when it opens; the adapter's own tests cover that).
 */
export interface ConnectionInboundFixture {
  kind: 'connection';
  name?: string;
  trigger(input: ConnectionTriggerContext): Promise<void>;
  expected: ExpectedInboundEvent[];
  /** How long to wait for the events after `trigger` resolves. Defaults to 5 s. */
  timeoutMs?: number;
}

/** One way inbound reaches the adapter. */
export type InboundFixture = WebhookInboundFixture | ConnectionInboundFixture;

/** A provider failure to provoke, and the `DeliveryError` it must become. */
export interface ProviderFailureFixture {
  /** Names the case, e.g. `429 with Retry-After`. */
  name: string;
  /** Makes the provider fail the next send (an msw handler, `adapter.failNextWith`…). */
  arrange(): void | Promise<void>;
  category: DeliveryErrorCategory;
  /** Checked when given. */
  retryable?: boolean;
  /** Checked when given (a `Retry-After` the provider sent). */
  retryAfterMs?: number;
  /** Checked when given: the provider's own error code, as a string (`'131047'`, `'21610'`). */
  providerCode?: string;
  /** Checked when given: the HTTP status the provider answered. */
  httpStatus?: number;
}

/** The provider's side of outbound, as the fixture's mock of it sees it. */
export interface ProviderFixture {
  /** Makes the provider accept the next sends (register the msw success handler). */
  accept(): void | Promise<void>;
  /** Failures to provoke; at least one is required. */
  failures: ProviderFailureFixture[];
  /** Every message that reached the provider since `reset`, normalised. */
  sent(): RenderedMessage[] | Promise<RenderedMessage[]>;
  /**
   * Makes the provider take the next message and fail the one after it with a retryable error
   * (part 2 of a split message failing). Give it when `send` splits long text into several
   * provider messages, each reported by `sent()` as one `text`: the suite then checks that the send
   * rejects with a retryable `DeliveryError`, and that a retry of the same delivery completes the
   * text without sending any part twice and returns `providerMessageIds` naming every part.
   */
  failLaterPart?(): void | Promise<void>;
}

/**
 * Everything {@link runAdapterConformance} needs to test an adapter package against its own
 * provider mock.
 */
export interface AdapterFixtures {
  /** Names the suite, e.g. `whatsapp-cloud`. */
  name?: string;
  /** Called before each test, before the factory: clear the provider mock's recordings. */
  reset?(): void | Promise<void>;
  /** One or more inbound paths (an email adapter may have an SMTP listener and a webhook). */
  inbound: InboundFixture | InboundFixture[];
  outbound: {
    /** Someone the provider mock will accept sends to. */
    recipient: Recipient;
    provider: ProviderFixture;
    /**
     * The adapter stops a send whose `signal` is aborted (see `ChannelAdapter.send`): `true` adds
     * a test that an aborted send rejects with the signal's reason and reaches no provider.
     */
    honoursAbort?: boolean;
    /**
     * A template the provider mock accepts. Required when `capabilities.templates.supported`: the
     * suite sends it and expects it to reach the provider. Without template support the suite
     * instead checks that a template envelope is refused, nothing sent.
     */
    template?: TemplateMessage;
    /**
     * The provider id of an inbound message the adapter can quote (`envelope.replyTo`), for a
     * provider mock whose `sent()` reports quotes (`RenderedMessage.replyTo`). With it the suite
     * checks that a reply's first message quotes it where `capabilities.features.replyTo`, that
     * no other message quotes anything, and that nothing is quoted elsewhere.
     */
    replyTo?: string;
  };
  /**
   * Extra parts of the `AdapterContext` for `start` (a store for an adapter that replays history).
   * Without a store, touching `context.store` throws a message saying to pass one here.
   */
  context?: Partial<Pick<AdapterContext, 'store' | 'logger' | 'agentId'>>;
}
