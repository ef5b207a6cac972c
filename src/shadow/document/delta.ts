/**
 * @module shadow/document/delta — the delta between `desired` and `reported`, its metadata, and the rule
 * for when an update publishes `update/delta` [spec §3.5, §3.4, §10; DG device-shadow-document.md; GG
 * JsonUtil.calculateDelta].
 *
 * Algorithm, for each key of `desired`: absent from `reported` → the desired value; both objects → recurse
 * and keep the sub-delta only if non-empty (so the path to the root is kept); otherwise (scalars, arrays —
 * compared whole —, type mismatches) → the desired value unless the two are deep-equal, numbers compared
 * numerically. Keys only in `reported` never appear ("report-only values"). No `desired` → no delta.
 * Delta metadata is the desired metadata of the same paths.
 *
 * Publication (spec §3.4 and §10, the choice hako takes): after **every** accepted update — desired or
 * reported, even one touching unrelated keys — whose resulting delta is non-empty, the full current delta is
 * published. This matches AWS's captured traffic (a reported-only change Great→Awful publishes
 * `{"Status":"Great"}`, an update bringing the two into agreement publishes nothing) and GG.
 */

import { getOwn, isEmptyObject, isJsonObject, jsonEqual, setOwn } from './json.js';
import type { JsonObject, JsonValue, ShadowDocument, ShadowState } from './types.js';

/** A delta with its metadata, as `update/delta` and `get/accepted` carry them. */
export interface ShadowDelta {
  state: JsonObject;
  metadata: JsonObject;
}

/** The delta of a state, or undefined when `desired` is absent or agrees with `reported`. */
export function computeDelta(state: ShadowState): JsonObject | undefined {
  const { desired, reported } = state;
  if (desired === undefined) return undefined;
  const delta = reported === undefined ? desired : diffObject(desired, reported);
  return isEmptyObject(delta) ? undefined : delta;
}

function diffObject(desired: JsonObject, reported: JsonObject): JsonObject {
  const delta: JsonObject = {};
  for (const key of Object.keys(desired)) {
    const want = desired[key] as JsonValue;
    const have = getOwn(reported, key);
    if (have === undefined) {
      setOwn(delta, key, want);
    } else if (isJsonObject(want) && isJsonObject(have)) {
      const sub = diffObject(want, have);
      if (!isEmptyObject(sub)) setOwn(delta, key, sub);
    } else if (!jsonEqual(want, have)) {
      setOwn(delta, key, want);
    }
  }
  return delta;
}

/**
 * The metadata of a delta: for each delta path, the desired metadata at that path (whole subtrees for
 * leaves and arrays). Paths without stored metadata are left out rather than invented.
 */
export function deltaMetadata(delta: JsonObject, desiredMetadata: JsonObject | undefined): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(delta)) {
    const value = delta[key];
    const metadata = getOwn(desiredMetadata, key);
    if (metadata === undefined) continue;
    setOwn(result, key, isJsonObject(value) && isJsonObject(metadata) ? deltaMetadata(value, metadata) : metadata);
  }
  return result;
}

/** The current delta of a document with its metadata, or undefined when there is none. */
export function shadowDelta(document: ShadowDocument): ShadowDelta | undefined {
  const state = computeDelta(document.state);
  return state === undefined ? undefined : { state, metadata: deltaMetadata(state, document.metadata.desired) };
}

/**
 * What to publish on `update/delta` after an accepted update produced `updated`: its full delta when
 * non-empty, else nothing (see the module comment for why every update qualifies).
 */
export function deltaToPublish(updated: ShadowDocument): ShadowDelta | undefined {
  return shadowDelta(updated);
}
