/** @module test/shadow/document/helpers — building shadow documents by running updates, for the document tests. */

import assert from 'node:assert/strict';
import {
  mergeUpdate,
  parseUpdateRequest,
  processUpdate,
  type MergeResult,
  type ShadowDocument,
  type UpdateContext,
  type UpdateRequest,
} from '../../../src/shadow/document/index.js';

/** An arbitrary fixed "now" in epoch seconds (the J2 capture's first update). */
export const T0 = 1736882722;

/** Parses a request body given as a JS value, asserting it is valid. */
export function request(body: unknown): UpdateRequest {
  const parsed = parseUpdateRequest(JSON.stringify(body));
  if (!parsed.ok) assert.fail(`request did not parse: ${parsed.error.code} ${parsed.error.message}`);
  return parsed.request;
}

/** Merges one update (asserting it is accepted) and returns the full merge result. */
export function merged(current: ShadowDocument | undefined, body: unknown, nowSeconds = T0): Extract<MergeResult, { ok: true }> {
  const result = mergeUpdate(current, request(body), { nowSeconds });
  if (!result.ok) assert.fail(`update rejected: ${result.error.code} ${result.error.message}`);
  return result;
}

/** Runs a sequence of `[body, nowSeconds]` updates from nothing and returns the final document. */
export function documentAfter(...updates: readonly (readonly [unknown, number])[]): ShadowDocument {
  let document: ShadowDocument | undefined;
  for (const [body, now] of updates) document = merged(document, body, now).document;
  if (document === undefined) assert.fail('no updates given');
  return document;
}

/** `processUpdate` asserting acceptance. */
export function processed(current: ShadowDocument | undefined, body: unknown, context: UpdateContext) {
  const outcome = processUpdate(current, JSON.stringify(body), context);
  if (!outcome.ok) assert.fail(`update rejected: ${JSON.stringify(outcome.rejected)}`);
  return outcome;
}
