/**
 * @module shadow/document/responses — builders for the exact JSON payloads the Device Shadow service
 * publishes (and the HTTPS data plane returns), key order as in AWS's captured traffic [spec §3.4; J2; DG
 * device-shadow-document.md]. `timestamp` is the response time in epoch seconds; `clientToken` is echoed
 * whenever the triggering request carried one (accepted, rejected, delta, documents).
 *
 * Error documents: `{"code","message","timestamp"?,"clientToken"?}`. AWS omits `timestamp` from some of
 * them and every captured one (400, 404, 409) lacks it, so it is only written when the caller passes one.
 */

import { shadowDelta, type ShadowDelta } from './delta.js';
import type { AcceptedChange } from './merge.js';
import type {
  DeleteAcceptedPayload,
  DeltaPayload,
  DocumentSnapshot,
  DocumentsPayload,
  ErrorPayload,
  GetAcceptedPayload,
  JsonObject,
  ShadowDocument,
  ShadowError,
  UpdateAcceptedPayload,
} from './types.js';

/** Time of the response (epoch seconds) and the token of the request that caused it. */
export interface ResponseContext {
  nowSeconds: number;
  clientToken?: string;
}

/** Adds the token last (its place in AWS's key order); the payload is fresh, so it is extended in place. */
function withToken<T extends object>(payload: T, clientToken: string | undefined): T & { clientToken?: string } {
  const result: T & { clientToken?: string } = payload;
  if (clientToken !== undefined) result.clientToken = clientToken;
  return result;
}

/** desired then reported, absent sections left out. */
function sections<T extends { desired?: JsonObject; reported?: JsonObject }>(source: T): { desired?: JsonObject; reported?: JsonObject } {
  const result: { desired?: JsonObject; reported?: JsonObject } = {};
  if (source.desired !== undefined) result.desired = source.desired;
  if (source.reported !== undefined) result.reported = source.reported;
  return result;
}

/** `update/accepted`: `{"state","metadata","version","timestamp","clientToken"?}`. */
export function buildUpdateAccepted(change: AcceptedChange, version: number, context: ResponseContext): UpdateAcceptedPayload {
  return withToken({ state: change.state, metadata: change.metadata, version, timestamp: context.nowSeconds }, context.clientToken);
}

/** `update/delta`: `{"version","timestamp","state","metadata","clientToken"?}`. */
export function buildUpdateDelta(delta: ShadowDelta, version: number, context: ResponseContext): DeltaPayload {
  return withToken({ version, timestamp: context.nowSeconds, state: delta.state, metadata: delta.metadata }, context.clientToken);
}

export function snapshotOf(document: ShadowDocument): DocumentSnapshot {
  return { state: sections(document.state), metadata: sections(document.metadata), version: document.version };
}

/** `update/documents`: `{"previous"?,"current","timestamp","clientToken"?}`; no `previous` on creation. */
export function buildUpdateDocuments(previous: ShadowDocument | undefined, current: ShadowDocument, context: ResponseContext): DocumentsPayload {
  const payload: DocumentsPayload =
    previous === undefined
      ? { current: snapshotOf(current), timestamp: context.nowSeconds }
      : { previous: snapshotOf(previous), current: snapshotOf(current), timestamp: context.nowSeconds };
  return withToken(payload, context.clientToken);
}

/** `get/accepted`: state and metadata with `delta` parts only when the delta is non-empty. */
export function buildGetAccepted(document: ShadowDocument, context: ResponseContext): GetAcceptedPayload {
  const state: GetAcceptedPayload['state'] = sections(document.state);
  const metadata: GetAcceptedPayload['metadata'] = sections(document.metadata);
  const delta = shadowDelta(document);
  if (delta !== undefined) {
    state.delta = delta.state;
    metadata.delta = delta.metadata;
  }
  return withToken({ state, metadata, version: document.version, timestamp: context.nowSeconds }, context.clientToken);
}

/** `delete/accepted`: `{"version":<last version>,"timestamp","clientToken"?}`. */
export function buildDeleteAccepted(version: number, context: ResponseContext): DeleteAcceptedPayload {
  return withToken({ version, timestamp: context.nowSeconds }, context.clientToken);
}

/** `…/rejected`: `{"code","message","timestamp"?,"clientToken"?}`. */
export function buildErrorResponse(error: ShadowError, options: { clientToken?: string; timestamp?: number } = {}): ErrorPayload {
  const payload: ErrorPayload = { code: error.code, message: error.message };
  if (options.timestamp !== undefined) payload.timestamp = options.timestamp;
  if (options.clientToken !== undefined) payload.clientToken = options.clientToken;
  return payload;
}

/** `update/rejected`, `get/rejected` and `delete/rejected` share the error document. */
export const buildUpdateRejected = buildErrorResponse;
export const buildGetRejected = buildErrorResponse;
export const buildDeleteRejected = buildErrorResponse;
