export type { RecordedAction } from './actions';
export {
  type CapabilitiesPatch,
  deriveTestCapabilities,
  testCapabilities,
  testCapabilityVariants,
} from './capabilities';
export type {
  AdapterFactory,
  AdapterFactoryContext,
  AdapterFixtures,
  ConnectionInboundFixture,
  ConnectionTriggerContext,
  ExpectedInboundEvent,
  InboundFixture,
  ProviderFailureFixture,
  ProviderFixture,
  WebhookInboundFixture,
} from './conformance/fixtures';
export { createRecordingSink, type RecordingSink } from './conformance/recording-sink';
export {
  type RenderedMessage,
  renderedComponent,
  renderedFromSegment,
  renderedFromSent,
} from './conformance/rendered';
export { runAdapterConformance } from './conformance/run';
export {
  createTestDeliveryError,
  type ProgrammedFailure,
  TEST_PROVIDER,
  type TestDeliveryErrorOptions,
} from './failures';
export type { SentMessage } from './outbound';
export {
  createTestAdapter,
  type FailNextOptions,
  type TestAdapter,
  type TestAdapterOptions,
  type TestInboundMessage,
} from './test-adapter';
export {
  parseTestWebhookBody,
  type TestTimestamp,
  type TestWebhookBody,
  type TestWebhookEvent,
} from './webhook-body';
export {
  checkTestSignature,
  type SignatureProblem,
  signTestWebhook,
  TEST_SIGNATURE_HEADER,
  TEST_WEBHOOK_SECRET,
} from './webhook-signature';
