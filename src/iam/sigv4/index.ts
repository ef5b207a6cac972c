/**
 * @module iam/sigv4 — AWS Signature Version 4 request verification and access-key helpers.
 *
 * `verifySigV4` checks both the `Authorization` header form (every AWS SDK) and the presigned query form
 * (the IoT WSS `/mqtt` URL, `iotdevicegateway`), returning the key, region and service on success or an
 * AWS-shaped `{ status, code, message }` to answer with (`x-amzn-ErrorType: code`,
 * body `{"__type": code, "message": message}`).
 *
 * Not checked here: `X-Amz-Security-Token` (temporary credentials are the caller's business), the Host
 * value against this server's own names, and replays within the time window. A request signed with
 * `UNSIGNED-PAYLOAD` verifies without its body being covered, as on AWS.
 */
export { verifySigV4, type SecretLookup, type SignedRequest, type Verification, type VerifyOptions } from './verify.js';
export type { SigV4ErrorCode, VerificationFailure } from './errors.js';
export { DEFAULT_MAX_SKEW_MS } from './time-window.js';
export { signedRequestFromNode, splitRequestTarget } from './node-request.js';
export { sessionTokenOf } from './session-token.js';
export {
  formatCredentialsFile,
  generateAccessKey,
  parseCredentialsFile,
  type AccessKey,
  type CredentialsFileEntry,
} from './access-keys.js';
