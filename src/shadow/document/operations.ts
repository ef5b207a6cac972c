/**
 * @module shadow/document/operations — one shadow operation from payload to response payloads, as named
 * steps: `processUpdate` (parse → lock/merge/size → accepted + documents + delta), `processGet` and
 * `processDelete`. Still pure: the caller loads the current document, passes the time, stores what comes
 * back and publishes (MQTT) or returns (HTTP) the payloads. The HTTP API answers with the error's code
 * instead of publishing the rejection [spec §3.2, §3.8].
 */

import { deltaToPublish } from './delta.js';
import { shadowNotFoundError } from './errors.js';
import { mergeUpdate } from './merge.js';
import {
  buildDeleteAccepted,
  buildErrorResponse,
  buildGetAccepted,
  buildUpdateAccepted,
  buildUpdateDelta,
  buildUpdateDocuments,
  type ResponseContext,
} from './responses.js';
import type {
  DeleteAcceptedPayload,
  DeltaPayload,
  DocumentsPayload,
  ErrorPayload,
  GetAcceptedPayload,
  ShadowDocument,
  ShadowError,
  ShadowLimits,
  UpdateAcceptedPayload,
} from './types.js';
import { parseTokenRequest, parseUpdateRequest, type RequestPayload } from './validate.js';

export interface UpdateContext {
  /** Epoch seconds (e.g. `Math.floor(clock.now() / 1000)`). */
  nowSeconds: number;
  limits?: Partial<ShadowLimits>;
  /** Last version of a recently deleted shadow of the same name, if the store remembers one. */
  deletedVersion?: number;
}

export interface LookupContext {
  nowSeconds: number;
  /** For the 404 text. */
  thingName: string;
  /** Named shadow; absent for the classic shadow. */
  shadowName?: string;
  limits?: Partial<ShadowLimits>;
}

export type Rejection = { ok: false; error: ShadowError; rejected: ErrorPayload };

export type UpdateOutcome =
  | {
      ok: true;
      /** True when this update created the shadow. */
      created: boolean;
      /** The document to store. */
      document: ShadowDocument;
      accepted: UpdateAcceptedPayload;
      documents: DocumentsPayload;
      /** Present when `update/delta` is to be published. */
      delta?: DeltaPayload;
    }
  | Rejection;

export type GetOutcome = { ok: true; accepted: GetAcceptedPayload } | Rejection;

/** On success the store deletes the shadow and may remember `accepted.version` for re-creation. */
export type DeleteOutcome = { ok: true; accepted: DeleteAcceptedPayload } | Rejection;

function reject(error: ShadowError, clientToken: string | undefined): Rejection {
  return { ok: false, error, rejected: buildErrorResponse(error, { clientToken }) };
}

/** `/update` or UpdateThingShadow against `current` (undefined when no live shadow exists). */
export function processUpdate(current: ShadowDocument | undefined, payload: RequestPayload, context: UpdateContext): UpdateOutcome {
  const parsed = parseUpdateRequest(payload, context.limits);
  if (!parsed.ok) return reject(parsed.error, parsed.clientToken);
  const { request } = parsed;
  const { nowSeconds, limits, deletedVersion } = context;
  const merged = mergeUpdate(current, request, { nowSeconds, limits, deletedVersion });
  if (!merged.ok) return reject(merged.error, request.clientToken);
  const reply: ResponseContext = { nowSeconds, clientToken: request.clientToken };
  const { document } = merged;
  const delta = deltaToPublish(document);
  return {
    ok: true,
    created: merged.previous === undefined,
    document,
    accepted: buildUpdateAccepted(merged.accepted, document.version, reply),
    documents: buildUpdateDocuments(merged.previous, document, reply),
    ...(delta === undefined ? {} : { delta: buildUpdateDelta(delta, document.version, reply) }),
  };
}

/** `/get` or GetThingShadow. A `version` in the payload is ignored (the v1 SDK sends one). */
export function processGet(current: ShadowDocument | undefined, payload: RequestPayload, context: LookupContext): GetOutcome {
  const parsed = parseTokenRequest(payload, context.limits);
  if (!parsed.ok) return reject(parsed.error, undefined);
  const { clientToken } = parsed.request;
  if (current === undefined) return reject(shadowNotFoundError(context.thingName, context.shadowName), clientToken);
  return { ok: true, accepted: buildGetAccepted(current, { nowSeconds: context.nowSeconds, clientToken }) };
}

/** `/delete` or DeleteThingShadow: answers with the last version; the caller removes the document. */
export function processDelete(current: ShadowDocument | undefined, payload: RequestPayload, context: LookupContext): DeleteOutcome {
  const parsed = parseTokenRequest(payload, context.limits);
  if (!parsed.ok) return reject(parsed.error, undefined);
  const { clientToken } = parsed.request;
  if (current === undefined) return reject(shadowNotFoundError(context.thingName, context.shadowName), clientToken);
  return { ok: true, accepted: buildDeleteAccepted(current.version, { nowSeconds: context.nowSeconds, clientToken }) };
}
