/**
 * @module shadow/document/validate — parsing and validating the payloads clients publish to
 * `…/shadow/update`, `…/shadow/get` and `…/shadow/delete` (or POST to the HTTPS data plane), and measuring a
 * state against the size limit. Each rejection carries AWS's exact `{code, message}` [spec §3.2].
 *
 * Checks, in order: UTF-8 (415) → JSON object (400 Invalid JSON) → clientToken (400, ≤ 64 bytes; a bad
 * token is never echoed) → `state` present (400) → `state` object or null (400) → only `desired`/`reported`
 * inside it (400 invalid node, e.g. `delta`) → each section object or null (400) → values storable (no
 * `null` inside arrays, no non-finite numbers: 400 Invalid JSON) → nesting depth (400) → `version` a
 * non-negative integer (400). Unknown top-level keys (`thingName`, `metadata`, `timestamp`, …) are ignored.
 * The 8 KB size (413) and version match (409) need the stored document and are checked by `merge.ts`.
 */

import { invalidNodeError, shadowErrors, tooDeepError } from './errors.js';
import { getOwn, isJsonObject, utf8Length } from './json.js';
import type { JsonObject, JsonValue, ParseResult, ShadowError, ShadowLimits, ShadowState, StatePatch, TokenRequest, UpdateRequest } from './types.js';

export const DEFAULT_SHADOW_LIMITS: Readonly<ShadowLimits> = Object.freeze({ maxStateBytes: 8192, maxDepth: 6, maxClientTokenBytes: 64 });

export function resolveLimits(limits?: Partial<ShadowLimits>): Readonly<ShadowLimits> {
  if (limits === undefined) return DEFAULT_SHADOW_LIMITS;
  // Already complete (the shadow service resolves its limits once): no copy on every request.
  if (limits.maxStateBytes !== undefined && limits.maxDepth !== undefined && limits.maxClientTokenBytes !== undefined) return limits as ShadowLimits;
  return { ...DEFAULT_SHADOW_LIMITS, ...limits };
}

/** A request payload as it arrives: MQTT payload bytes or an HTTP body. */
export type RequestPayload = string | Uint8Array;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(payload: RequestPayload): string | undefined {
  if (typeof payload === 'string') return payload;
  try {
    return utf8.decode(payload);
  } catch {
    return undefined;
  }
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

type Field<T> = { ok: true; value: T | undefined } | { ok: false };

/** `clientToken`: absent/null → none; a string of at most `maxBytes` UTF-8 bytes; anything else is invalid. */
function readClientToken(request: JsonObject, maxBytes: number): Field<string> {
  const token = getOwn(request, 'clientToken');
  if (token === undefined || token === null) return { ok: true, value: undefined };
  if (typeof token === 'string' && utf8Length(token) <= maxBytes) return { ok: true, value: token };
  return { ok: false };
}

/** `version`: absent/null → none (no optimistic locking); a non-negative integer; anything else is invalid. */
function readVersion(request: JsonObject): Field<number> {
  const version = getOwn(request, 'version');
  if (version === undefined || version === null) return { ok: true, value: undefined };
  if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0) return { ok: true, value: version };
  return { ok: false };
}

/**
 * Depth and storability of one value. `level` is the level this value has if it is a non-empty container
 * (the section itself is level 1); leaves and empty containers do not count [GG JsonUtil.calculateDepth].
 */
function checkValue(value: JsonValue, level: number, maxDepth: number, inArray: boolean): ShadowError | undefined {
  if (value === null) return inArray ? shadowErrors.invalidJson : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : shadowErrors.invalidJson;
  if (typeof value !== 'object') return undefined;
  const isArray = Array.isArray(value);
  const children: JsonValue[] = isArray ? value : Object.values(value);
  if (children.length === 0) return undefined;
  if (level > maxDepth) return tooDeepError(maxDepth);
  for (const child of children) {
    const problem = checkValue(child, level + 1, maxDepth, inArray || isArray);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkState(state: JsonObject, maxDepth: number): ShadowError | undefined {
  for (const key of Object.keys(state)) {
    if (key !== 'desired' && key !== 'reported') return invalidNodeError(key);
  }
  for (const section of ['desired', 'reported'] as const) {
    const value = getOwn(state, section);
    if (value === undefined || value === null) continue;
    if (!isJsonObject(value)) return section === 'desired' ? shadowErrors.desiredNotObject : shadowErrors.reportedNotObject;
    const problem = checkValue(value, 1, maxDepth, false);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Parses and validates an `/update` payload (or UpdateThingShadow body). */
export function parseUpdateRequest(payload: RequestPayload, limits?: Partial<ShadowLimits>): ParseResult<UpdateRequest> {
  const { maxDepth, maxClientTokenBytes } = resolveLimits(limits);
  const text = decode(payload);
  if (text === undefined) return { ok: false, error: shadowErrors.unsupportedEncoding };
  const body = parseObject(text);
  if (body === undefined) return { ok: false, error: shadowErrors.invalidJson };
  const token = readClientToken(body, maxClientTokenBytes);
  if (!token.ok) return { ok: false, error: shadowErrors.invalidClientToken };
  const clientToken = token.value;
  const reject = (error: ShadowError): ParseResult<UpdateRequest> =>
    clientToken === undefined ? { ok: false, error } : { ok: false, error, clientToken };

  const state = getOwn(body, 'state');
  if (state === undefined) return reject(shadowErrors.missingState);
  if (state !== null && !isJsonObject(state)) return reject(shadowErrors.stateNotObject);
  if (state !== null) {
    const problem = checkState(state, maxDepth);
    if (problem !== undefined) return reject(problem);
  }
  const version = readVersion(body);
  if (!version.ok) return reject(shadowErrors.invalidVersion);

  const request: UpdateRequest = { state: state as StatePatch | null };
  if (clientToken !== undefined) request.clientToken = clientToken;
  if (version.value !== undefined) request.version = version.value;
  return { ok: true, request };
}

/**
 * Parses a `/get` or `/delete` payload. AWS documents these as empty; the SDKs send JSON with `clientToken`
 * (and the v1 SDK a `version`, which must not fail the request). Empty, non-UTF-8, non-JSON and non-object
 * payloads are accepted without a token; only a present but invalid `clientToken` is rejected.
 */
export function parseTokenRequest(payload: RequestPayload, limits?: Partial<ShadowLimits>): ParseResult<TokenRequest> {
  const text = decode(payload);
  const body = text === undefined ? undefined : parseObject(text);
  if (body === undefined) return { ok: true, request: {} };
  const token = readClientToken(body, resolveLimits(limits).maxClientTokenBytes);
  if (!token.ok) return { ok: false, error: shadowErrors.invalidClientToken };
  return { ok: true, request: token.value === undefined ? {} : { clientToken: token.value } };
}

/**
 * The size AWS limits (8 KB default): UTF-8 bytes of the compact JSON of `desired` plus that of `reported`
 * of the **resulting** document; metadata, version and delta are not counted [spec §3.3.7, §3.7; GG].
 */
export function measureStateBytes(state: ShadowState): number {
  let bytes = 0;
  if (state.desired !== undefined) bytes += utf8Length(JSON.stringify(state.desired));
  if (state.reported !== undefined) bytes += utf8Length(JSON.stringify(state.reported));
  return bytes;
}
