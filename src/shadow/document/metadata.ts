/**
 * @module shadow/document/metadata — the metadata tree that mirrors a state value: every leaf (string,
 * number, boolean, and in a request `null`) becomes `{"timestamp": <epoch s>}`, objects map key by key, and
 * arrays become arrays of per-element metadata, objects inside arrays nesting [spec §3.4; GG
 * ShadowStateMetadata]. Merging metadata into a stored document happens alongside the state in `merge.ts`.
 */

import { isJsonObject, setOwn } from './json.js';
import type { JsonObject, JsonValue, StatePatch } from './types.js';

export function leafMetadata(timestamp: number): JsonObject {
  return { timestamp };
}

/** Metadata for a whole value written at `timestamp`. */
export function metadataOf(value: JsonValue, timestamp: number): JsonValue {
  if (Array.isArray(value)) return value.map((item) => metadataOf(item, timestamp));
  if (isJsonObject(value)) return objectMetadata(value, timestamp);
  return leafMetadata(timestamp);
}

export function objectMetadata(object: JsonObject, timestamp: number): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(object)) setOwn(result, key, metadataOf(object[key] as JsonValue, timestamp));
  return result;
}

/**
 * The `metadata` of an `update/accepted` message: the request's `state` mirrored leaf by leaf, nulls
 * included (`"desired": null` → `{"desired":{"timestamp":s}}`; `"state": null` → `{"timestamp":s}`, as in a
 * real UpdateThingShadow answer `{"state":null,"metadata":{"timestamp":…},…}` [GH getmoto/moto#9237]).
 */
export function requestMetadata(state: StatePatch | null, timestamp: number): JsonObject {
  if (state === null) return leafMetadata(timestamp);
  return objectMetadata(state as JsonObject, timestamp);
}
