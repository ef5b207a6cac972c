/**
 * @module shadow/document/merge — applying a validated update to the stored shadow document: deep merge of
 * `desired`/`reported` with metadata mirrored per leaf, `null` deletion, section and whole-state clearing,
 * optimistic locking, version increment and the 8 KB size limit [spec §3.3; GG JsonMerger, ShadowState,
 * ShadowStateMetadata]. Pure: the caller passes the time and gets a new document (inputs are not mutated;
 * untouched subtrees are shared with `current`).
 *
 * Rules:
 * - objects merge recursively; scalars and arrays replace whole; a key set to `null` is removed with its
 *   metadata; `"desired": null` / `"reported": null` remove that section; `"state": null` clears both (the
 *   shadow still exists and its version still increments);
 * - an object left empty — a section, or a nested object whose keys were all deleted or that was written as
 *   `{}` — is not stored (hako's choice: AWS stores no empty sections, and GG never creates all-null trees);
 * - metadata: a written leaf or array gets the update's timestamp (arrays per element), a value that changes
 *   type replaces its metadata subtree, untouched keys keep theirs;
 * - version: `request.version` (when given) must equal the live version, else 409; with no live shadow any
 *   `version` is a 409 (what the v1 SDK meets after a delete, spec §3.9). New version = live + 1, or
 *   `deletedVersion + 1` (0 + 1 = 1 for a shadow never seen) when the update creates the shadow;
 * - 413 when the resulting `desired` + `reported` exceed `maxStateBytes` (whole document, not the request).
 */

import { shadowErrors } from './errors.js';
import { getOwn, isEmptyObject, isJsonObject, setOwn } from './json.js';
import { metadataOf, requestMetadata } from './metadata.js';
import type { JsonObject, JsonValue, ShadowDocument, ShadowError, ShadowLimits, ShadowMetadata, ShadowState, StatePatch, UpdateRequest } from './types.js';
import { measureStateBytes, resolveLimits } from './validate.js';

export interface MergeOptions {
  /** Epoch seconds of this update: the timestamp of every written leaf and of the document. */
  nowSeconds: number;
  limits?: Partial<ShadowLimits>;
  /**
   * Last version of a deleted shadow with this name, when the store still remembers it (AWS: 48 h); the
   * re-created shadow continues the numbering from it.
   */
  deletedVersion?: number;
}

/** What `update/accepted` echoes: the request's `state` as sent and its metadata. */
export interface AcceptedChange {
  state: StatePatch | null;
  metadata: JsonObject;
}

export type MergeResult =
  | {
      ok: true;
      document: ShadowDocument;
      /** The document before the update; absent when the update created the shadow. */
      previous?: ShadowDocument;
      accepted: AcceptedChange;
    }
  | { ok: false; error: ShadowError };

interface Merged {
  state: JsonObject;
  metadata: JsonObject;
}

const SECTIONS = ['desired', 'reported'] as const;

export function mergeUpdate(current: ShadowDocument | undefined, request: UpdateRequest, options: MergeOptions): MergeResult {
  const conflict = checkVersion(current, request.version);
  if (conflict !== undefined) return { ok: false, error: conflict };
  const { nowSeconds } = options;
  const next = applyState(current, request.state, nowSeconds);
  if (measureStateBytes(next.state) > resolveLimits(options.limits).maxStateBytes) {
    return { ok: false, error: shadowErrors.payloadTooLarge };
  }
  const document: ShadowDocument = {
    state: next.state,
    metadata: next.metadata,
    version: current === undefined ? (options.deletedVersion ?? 0) + 1 : current.version + 1,
    timestamp: nowSeconds,
  };
  const accepted: AcceptedChange = { state: request.state, metadata: requestMetadata(request.state, nowSeconds) };
  return current === undefined ? { ok: true, document, accepted } : { ok: true, document, previous: current, accepted };
}

/** Optimistic locking [spec §3.3.5]: no `version` → always accepted. */
export function checkVersion(current: ShadowDocument | undefined, requested: number | undefined): ShadowError | undefined {
  if (requested === undefined) return undefined;
  return current !== undefined && current.version === requested ? undefined : shadowErrors.versionConflict;
}

function applyState(
  current: ShadowDocument | undefined,
  patch: StatePatch | null,
  timestamp: number,
): { state: ShadowState; metadata: ShadowMetadata } {
  const state: ShadowState = {};
  const metadata: ShadowMetadata = {};
  if (patch === null) return { state, metadata };
  for (const section of SECTIONS) {
    const merged = mergeSection(current?.state[section], current?.metadata[section], patch[section], timestamp);
    if (merged === undefined) continue;
    state[section] = merged.state;
    metadata[section] = merged.metadata;
  }
  return { state, metadata };
}

function mergeSection(
  state: JsonObject | undefined,
  metadata: JsonObject | undefined,
  patch: JsonObject | null | undefined,
  timestamp: number,
): Merged | undefined {
  if (patch === null) return undefined;
  if (patch === undefined) return state === undefined ? undefined : { state, metadata: metadata ?? {} };
  const merged = mergeObject(state, metadata, patch, timestamp);
  return isEmptyObject(merged.state) ? undefined : merged;
}

function mergeObject(state: JsonObject | undefined, metadata: JsonObject | undefined, patch: JsonObject, timestamp: number): Merged {
  const nextState: JsonObject = { ...state };
  const nextMetadata: JsonObject = { ...metadata };
  for (const key of Object.keys(patch)) {
    const value = patch[key] as JsonValue;
    if (value === null) {
      delete nextState[key];
      delete nextMetadata[key];
      continue;
    }
    if (isJsonObject(value)) {
      const old = getOwn(nextState, key);
      const child = isJsonObject(old)
        ? mergeObject(old, containerMetadata(getOwn(nextMetadata, key)), value, timestamp)
        : mergeObject(undefined, undefined, value, timestamp);
      if (isEmptyObject(child.state)) {
        delete nextState[key];
        delete nextMetadata[key];
      } else {
        setOwn(nextState, key, child.state);
        setOwn(nextMetadata, key, child.metadata);
      }
      continue;
    }
    setOwn(nextState, key, value);
    setOwn(nextMetadata, key, metadataOf(value, timestamp));
  }
  return { state: nextState, metadata: nextMetadata };
}

/**
 * The metadata of a stored object, or undefined when what is stored there is not an object's metadata. A
 * leaf's metadata is `{"timestamp": <number>}`; an object's metadata under a user key `timestamp` holds an
 * object or array there, so the two cannot be confused.
 */
function containerMetadata(metadata: unknown): JsonObject | undefined {
  if (!isJsonObject(metadata)) return undefined;
  return typeof getOwn(metadata, 'timestamp') === 'number' ? undefined : metadata;
}
