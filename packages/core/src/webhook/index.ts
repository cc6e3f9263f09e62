export { answerHubChallenge, HUB_SIGNATURE_HEADER } from './hub';
export {
  constantTimeEqual,
  createHmacSha256Verifier,
  type HmacSha256VerifierOptions,
  type SignatureCheck,
} from './signature';
