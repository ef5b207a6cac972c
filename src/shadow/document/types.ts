/**
 * @module shadow/document/types — the shapes of the Device Shadow document module: JSON values, the stored
 * shadow document, parsed requests, AWS error values and the exact response payloads published on the
 * `…/shadow/{update,get,delete}/{accepted,rejected,delta,documents}` topics.
 *
 * Every timestamp here is **epoch seconds** (integer), as AWS uses for shadows [spec §0].
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The two stored sections of a shadow. `delta` is computed, never stored. */
export type ShadowSection = 'desired' | 'reported';

/** Stored state: a section is absent when it is empty (never `{}` and never `null`). */
export interface ShadowState {
  desired?: JsonObject;
  reported?: JsonObject;
}

/** Metadata mirrors the state: every leaf becomes `{"timestamp": s}`, arrays hold per-element metadata. */
export interface ShadowMetadata {
  desired?: JsonObject;
  reported?: JsonObject;
}

/** What the shadow store keeps for one live shadow. */
export interface ShadowDocument {
  state: ShadowState;
  metadata: ShadowMetadata;
  /** 1 at creation (or one more than the deleted shadow's version), +1 per accepted update. */
  version: number;
  /** When the document last changed (epoch seconds). */
  timestamp?: number;
}

/** The `state` node of an update request: `null` on a section removes that section. */
export interface StatePatch {
  desired?: JsonObject | null;
  reported?: JsonObject | null;
}

/** A validated `/update` request. `state: null` clears both sections. */
export interface UpdateRequest {
  state: StatePatch | null;
  clientToken?: string;
  version?: number;
}

/** A validated `/get` or `/delete` request: only the token matters (a `version` there is ignored). */
export interface TokenRequest {
  clientToken?: string;
}

/** An AWS shadow error: HTTP-style code and the exact message text. */
export interface ShadowError {
  code: number;
  message: string;
}

export interface ShadowLimits {
  /** Bytes of compact JSON of `desired` + `reported` (metadata not counted); default 8192. */
  maxStateBytes: number;
  /** Nesting depth with the `desired`/`reported` node as level 1; default 6. */
  maxDepth: number;
  /** UTF-8 bytes of `clientToken`; 64. */
  maxClientTokenBytes: number;
}

export type ParseResult<T> =
  | { ok: true; request: T }
  | { ok: false; error: ShadowError; /** echoed on the rejection when it was valid */ clientToken?: string };

/** `update/accepted` (and the HTTP UpdateThingShadow body). `state` echoes the request, nulls included. */
export interface UpdateAcceptedPayload {
  state: StatePatch | null;
  metadata: JsonObject;
  version: number;
  timestamp: number;
  clientToken?: string;
}

/** `update/delta`: the full current delta, with the desired metadata of those paths. */
export interface DeltaPayload {
  version: number;
  timestamp: number;
  state: JsonObject;
  metadata: JsonObject;
  clientToken?: string;
}

/** One side of `update/documents`: desired/reported only, never a delta. */
export interface DocumentSnapshot {
  state: ShadowState;
  metadata: ShadowMetadata;
  version: number;
}

/** `update/documents`; `previous` is absent when the update created the shadow. */
export interface DocumentsPayload {
  previous?: DocumentSnapshot;
  current: DocumentSnapshot;
  timestamp: number;
  clientToken?: string;
}

/** `get/accepted` (and the HTTP GetThingShadow body). */
export interface GetAcceptedPayload {
  state: { desired?: JsonObject; reported?: JsonObject; delta?: JsonObject };
  metadata: { desired?: JsonObject; reported?: JsonObject; delta?: JsonObject };
  version: number;
  timestamp: number;
  clientToken?: string;
}

/** `delete/accepted` (and the HTTP DeleteThingShadow body). */
export interface DeleteAcceptedPayload {
  version: number;
  timestamp: number;
  clientToken?: string;
}

/** `update|get|delete/rejected`. */
export interface ErrorPayload {
  code: number;
  message: string;
  timestamp?: number;
  clientToken?: string;
}
