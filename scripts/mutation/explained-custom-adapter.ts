import type { ExplainedMutant } from './explained';

const adapter = 'examples/custom-adapter/src/adapter.ts';
const send = 'examples/custom-adapter/src/send.ts';
const webhook = 'examples/custom-adapter/src/webhook.ts';
const options = 'examples/custom-adapter/src/options.ts';

/** The webhook's answer body: Relay, like Telegram, reads only the status of the answer. */
const ANSWER_BODY =
  'the body of the webhook answer, which Relay (as Telegram) does not read: only the status is the contract';
/** Human-readable text of an error or answer. */
const MESSAGE_TEXT =
  'the wording of an error message; category, retryable and status are what the contract pins';

/**
 * Mutants of the custom-adapter example that survive `runAdapterConformance` on purpose: each is
 * equivalent (no adapter behaviour changes) or, marked `kind: 'out-of-scope'`, out of the adapter
 * contract's scope, with the reason.
 */
export const explained: readonly ExplainedMutant[] = [
  // adapter.ts: the webhook answers.
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: "{ 'content-type': 'application/json' }",
    reason: `the content type of ${ANSWER_BODY}`,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'StringLiteral',
    original: "'application/json'",
    reason: `the content type of ${ANSWER_BODY}`,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'BlockStatement',
    original: '{ return undefined; }',
    reason: 'equivalent: a catch block that returns nothing returns undefined as well',
  },
  {
    file: adapter,
    mutator: 'ConditionalExpression',
    original: "request.method !== 'POST'",
    reason:
      'equivalent for the contract: without the check a GET has an empty body and is refused with 400 instead of 405, emitting nothing either way',
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'ConditionalExpression',
    original: 'body === undefined',
    reason:
      'equivalent: a body that is not JSON then reaches parseUpdate, whose schema refuses it with 400 as well (the suite sends one)',
  },
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: "{ error: 'POST only' }",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'StringLiteral',
    original: "'POST only'",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: "{ error: 'bad secret token' }",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'StringLiteral',
    original: "'bad secret token'",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: "{ error: 'body is not JSON' }",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'StringLiteral',
    original: "'body is not JSON'",
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: '{ error: events.error }',
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'ObjectLiteral',
    original: '{ ok: true }',
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },
  {
    file: adapter,
    mutator: 'BooleanLiteral',
    original: 'true',
    reason: ANSWER_BODY,
    kind: 'out-of-scope',
  },

  // send.ts
  {
    file: send,
    mutator: 'ConditionalExpression',
    original: "segment.part.type === 'actions'",
    reason:
      'equivalent: actions are the only kind relayCapabilities renders natively, so planRender yields no other component',
  },
  {
    file: send,
    mutator: 'ArrayDeclaration',
    original: '[signal, timeout]',
    reason:
      'out of reach: the suite aborts before send (honoursAbort), so the abort check before each part stops it and no request is in flight to cancel',
    kind: 'out-of-scope',
  },
  {
    file: send,
    mutator: 'ConditionalExpression',
    original: 'signal?.aborted',
    reason:
      'equivalent for a signal aborted before send: the check before each part and the one after a failed fetch both throw the reason, so either alone stops the send',
  },
  {
    file: send,
    mutator: 'ConditionalExpression',
    original: 'body.ok === false',
    reason:
      'equivalent: a JSON answer that is neither ok nor an error becomes a provider error of the same category and retryability as an answer without a body',
  },
  ...(['ConditionalExpression', 'EqualityOperator'] as const).map((mutator) => ({
    file: send,
    mutator,
    original: 'ids.length > 1',
    reason:
      'equivalent: a one-element providerMessageIds names the one message, which the core records as providerMessageId anyway',
  })),

  // webhook.ts
  {
    file: webhook,
    mutator: 'StringLiteral',
    original: "''",
    reason:
      'equivalent or unreachable: a missing secret header fails the length comparison whatever the fallback, and the other fallbacks follow a check that the value is present',
  },
  ...(
    [
      ['ArrowFunction', '(issue) =>'],
      ['StringLiteral', 'issue.path'],
      ['StringLiteral', "'; '"],
      ['StringLiteral', "'.'"],
    ] as const
  ).map(([mutator, original]) => ({
    file: webhook,
    mutator,
    original,
    reason: `the text of the 400 answer to a body of no known shape: ${ANSWER_BODY}`,
    kind: 'out-of-scope',
  })),

  // button-data.ts
  {
    file: 'examples/custom-adapter/src/button-data.ts',
    mutator: 'EqualityOperator',
    original: 'bytes > maxBytes',
    reason:
      'cutting one character early at exactly 64 bytes still sends valid button data; the exact cut is pinned by test/button-data.test.ts, not by a provider-neutral rule',
    kind: 'out-of-scope',
  },

  // options.ts: option validation happens before there is an adapter to test.
  {
    file: options,
    mutator: 'StringLiteral',
    original: "'createRelayAdapter'",
    reason:
      'the factory name in a ConfigError message; the suite builds adapters from valid options',
    kind: 'out-of-scope',
  },
  {
    file: options,
    mutator: 'StringLiteral',
    original: "'https://api.relay.example'",
    reason:
      'equivalent here: the suite always passes baseUrl (the fake Relay), so the default is never used',
    kind: 'out-of-scope',
  },
  {
    file: options,
    mutator: 'MethodExpression',
    original: 'z.string().min(1)',
    reason:
      'equivalent: zod 4 returns a default without validating it, and the suite does not pass an id',
  },
  {
    file: options,
    mutator: 'StringLiteral',
    original: "'botToken looks",
    reason: MESSAGE_TEXT,
    kind: 'out-of-scope',
  },
  {
    file: options,
    mutator: 'StringLiteral',
    original: "'webhookSecret needs",
    reason: MESSAGE_TEXT,
    kind: 'out-of-scope',
  },
];
