/**
 * @module shadow/document — public surface of the pure Device Shadow document logic: request validation,
 * merge with metadata and versioning, delta, and the exact AWS response payloads. No I/O, no clock.
 *
 * Typical use by the shadow service: load the live document (or undefined), then
 * `processUpdate(current, payload, { nowSeconds })` → store `document`, publish `accepted` on
 * `…/update/accepted`, `documents` on `…/update/documents` and `delta` (when present) on `…/update/delta`;
 * or publish `rejected` on `…/update/rejected` (HTTP: status `error.code`, `restExceptionName(error.code)`).
 * `processGet` / `processDelete` work the same way. The lower-level steps are exported for callers that
 * need them separately (e.g. authorizing between parse and merge).
 */

export { computeDelta, deltaMetadata, deltaToPublish, shadowDelta, type ShadowDelta } from './delta.js';
export { invalidNodeError, restExceptionName, shadowErrors, shadowNotFoundError, tooDeepError } from './errors.js';
export { checkVersion, mergeUpdate, type AcceptedChange, type MergeOptions, type MergeResult } from './merge.js';
export { metadataOf, requestMetadata } from './metadata.js';
export {
  processDelete,
  processGet,
  processUpdate,
  type DeleteOutcome,
  type GetOutcome,
  type LookupContext,
  type Rejection,
  type UpdateContext,
  type UpdateOutcome,
} from './operations.js';
export {
  buildDeleteAccepted,
  buildDeleteRejected,
  buildErrorResponse,
  buildGetAccepted,
  buildGetRejected,
  buildUpdateAccepted,
  buildUpdateDelta,
  buildUpdateDocuments,
  buildUpdateRejected,
  snapshotOf,
  type ResponseContext,
} from './responses.js';
export type * from './types.js';
export {
  DEFAULT_SHADOW_LIMITS,
  measureStateBytes,
  parseTokenRequest,
  parseUpdateRequest,
  resolveLimits,
  type RequestPayload,
} from './validate.js';
