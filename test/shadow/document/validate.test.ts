/** @module test/shadow/document/validate — update/get/delete payload validation: every AWS error text, limits, tolerance. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SHADOW_LIMITS,
  measureStateBytes,
  parseTokenRequest,
  parseUpdateRequest,
  type RequestPayload,
  type ShadowState,
} from '../../../src/shadow/document/index.js';

const json = (value: unknown) => JSON.stringify(value);
/** `desired` nested `levels` containers deep in total (the desired node itself counts as 1), ending in a leaf. */
function nested(levels: number, innermost: unknown = 1): Record<string, unknown> {
  let value: unknown = innermost;
  for (let i = levels - 1; i >= 1; i--) value = { [`l${i + 1}`]: value };
  return { state: { desired: { l1: value } } };
}
const TOKEN_64 = 'x'.repeat(64);
const TOKEN_65 = 'x'.repeat(65);

/** [note, payload, code, message, clientToken echoed on the rejection] */
const REJECTED: [string, RequestPayload, number, string, string?][] = [
  ['not JSON', '{"state":', 400, 'Invalid JSON'],
  ['empty payload', '', 400, 'Invalid JSON'],
  ['JSON array', '[]', 400, 'Invalid JSON'],
  ['JSON string', '"state"', 400, 'Invalid JSON'],
  ['JSON null', 'null', 400, 'Invalid JSON'],
  ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 415, 'Unsupported documented encoding; supported encoding is UTF-8'],
  ['no state, token echoed (aws-iot-device-sdk-cpp#168 capture)', json({ clientToken: 'myToken_1' }), 400, 'Missing required node: state', 'myToken_1'],
  ['no state, only version', json({ version: 3 }), 400, 'Missing required node: state'],
  ['state a string', json({ state: 'on', clientToken: 't' }), 400, 'State node must be an object', 't'],
  ['state an array', json({ state: [] }), 400, 'State node must be an object'],
  ['state a number', json({ state: 1 }), 400, 'State node must be an object'],
  ['state.delta (aws-greengrass-shadow-manager#178)', json({ state: { delta: { a: 1 } }, clientToken: 't' }), 400, "State contains an invalid node: 'delta'", 't'],
  ['state.delta next to desired', json({ state: { desired: { a: 1 }, delta: { a: 1 } } }), 400, "State contains an invalid node: 'delta'"],
  ['state.metadata', json({ state: { metadata: {} } }), 400, "State contains an invalid node: 'metadata'"],
  ['state.timestamp', json({ state: { timestamp: 1 } }), 400, "State contains an invalid node: 'timestamp'"],
  ['state.Desired (case-sensitive)', json({ state: { Desired: {} } }), 400, "State contains an invalid node: 'Desired'"],
  ['desired a string', json({ state: { desired: 'x' } }), 400, 'Desired node must be an object'],
  ['desired an array', json({ state: { desired: [1] } }), 400, 'Desired node must be an object'],
  ['reported a number', json({ state: { reported: 5 } }), 400, 'Reported node must be an object'],
  ['reported a boolean', json({ state: { desired: {}, reported: true } }), 400, 'Reported node must be an object'],
  ['version a string', json({ state: {}, version: '3', clientToken: 't' }), 400, 'Invalid version', 't'],
  ['version a fraction', json({ state: {}, version: 1.5 }), 400, 'Invalid version'],
  ['version negative', json({ state: {}, version: -1 }), 400, 'Invalid version'],
  ['version an object', json({ state: {}, version: {} }), 400, 'Invalid version'],
  ['version a boolean', json({ state: {}, version: true }), 400, 'Invalid version'],
  ['clientToken of 65 bytes (not echoed)', json({ state: {}, clientToken: TOKEN_65 }), 400, 'Invalid clientToken'],
  ['clientToken of 33 two-byte characters = 66 bytes', json({ state: {}, clientToken: 'é'.repeat(33) }), 400, 'Invalid clientToken'],
  ['clientToken a number', json({ state: {}, clientToken: 12 }), 400, 'Invalid clientToken'],
  ['bad clientToken wins over missing state', json({ clientToken: TOKEN_65 }), 400, 'Invalid clientToken'],
  ['null inside an array (DG: arrays cannot hold null)', json({ state: { desired: { colors: [null, 'RED'] } }, clientToken: 't' }), 400, 'Invalid JSON', 't'],
  ['null inside a nested array', json({ state: { reported: { a: [[1, null]] } } }), 400, 'Invalid JSON'],
  ['null inside an object inside an array', json({ state: { reported: { a: [{ b: null }] } } }), 400, 'Invalid JSON'],
  ['number beyond double range', '{"state":{"desired":{"a":1e999}}}', 400, 'Invalid JSON'],
  ['7 levels of objects', json(nested(7)), 400, 'JSON contains too many levels of nesting; maximum is 6'],
  ['7 levels in reported through arrays', json({ state: { reported: { a: [[[[[[1]]]]]] } } }), 400, 'JSON contains too many levels of nesting; maximum is 6'],
];

describe('parseUpdateRequest rejects', () => {
  for (const [note, payload, code, message, clientToken] of REJECTED) {
    test(`${code} ${message}: ${note}`, () => {
      const parsed = parseUpdateRequest(payload);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.deepEqual(parsed.error, { code, message });
      assert.equal(parsed.clientToken, clientToken);
    });
  }

  test('the depth limit is configurable and named in the message', () => {
    const parsed = parseUpdateRequest(json(nested(9)), { maxDepth: 8 });
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.message, 'JSON contains too many levels of nesting; maximum is 8');
    assert.ok(parseUpdateRequest(json(nested(8)), { maxDepth: 8 }).ok);
  });
});

/** [note, payload, expected request] */
const ACCEPTED: [string, RequestPayload, unknown][] = [
  ['state null (clear all)', json({ state: null }), { state: null }],
  ['empty state', json({ state: {} }), { state: {} }],
  ['desired and reported null', json({ state: { desired: null, reported: null } }), { state: { desired: null, reported: null } }],
  ['nulls as delete markers', json({ state: { reported: { a: null, b: { c: null } } } }), { state: { reported: { a: null, b: { c: null } } } }],
  ['arrays, nested objects, scalars', json({ state: { desired: { a: [1, 'x', { b: true }], c: 1.5 } } }), { state: { desired: { a: [1, 'x', { b: true }], c: 1.5 } } }],
  [
    'unknown top-level keys of the v2 SDK and of a copied get document are ignored',
    json({ thingName: 't', shadowName: 's', state: { reported: { a: 1 } }, metadata: { reported: {} }, timestamp: 5 }),
    { state: { reported: { a: 1 } } },
  ],
  ['version 0', json({ state: {}, version: 0 }), { state: {}, version: 0 }],
  ['version with clientToken (v1 SDK)', json({ state: { reported: { a: 1 } }, clientToken: 'dev-1', version: 10 }), { state: { reported: { a: 1 } }, clientToken: 'dev-1', version: 10 }],
  ['version null means no locking', json({ state: {}, version: null }), { state: {} }],
  ['clientToken of exactly 64 bytes', json({ state: {}, clientToken: TOKEN_64 }), { state: {}, clientToken: TOKEN_64 }],
  ['clientToken of 32 two-byte characters = 64 bytes', json({ state: {}, clientToken: 'é'.repeat(32) }), { state: {}, clientToken: 'é'.repeat(32) }],
  ['empty clientToken', json({ state: {}, clientToken: '' }), { state: {}, clientToken: '' }],
  ['clientToken null means none', json({ state: {}, clientToken: null }), { state: {} }],
  ['exactly 6 levels', json(nested(6)), nested(6)],
  ['an empty object in place of a 7th level (empty containers do not count)', json(nested(6, {})), nested(6, {})],
  ['an empty array in place of a 7th level', json(nested(6, [])), nested(6, [])],
  ['exactly 6 levels through arrays', json({ state: { reported: { a: [[[[[1]]]]] } } }), { state: { reported: { a: [[[[[1]]]]] } } }],
  ['a Buffer payload', Buffer.from(json({ state: { reported: { é: 'ü' } } })), { state: { reported: { é: 'ü' } } }],
];

describe('parseUpdateRequest accepts', () => {
  for (const [note, payload, expected] of ACCEPTED) {
    test(note, () => {
      const parsed = parseUpdateRequest(payload);
      if (!parsed.ok) assert.fail(`${parsed.error.code} ${parsed.error.message}`);
      assert.deepEqual(parsed.request, expected);
    });
  }

  test('a "__proto__" key is data, not a prototype change', () => {
    const parsed = parseUpdateRequest('{"state":{"reported":{"__proto__":{"x":1}}}}');
    assert.ok(parsed.ok);
    const reported = (parsed.request.state?.reported ?? {}) as Record<string, unknown>;
    assert.ok(Object.hasOwn(reported, '__proto__'));
    assert.equal(Object.getPrototypeOf(reported), Object.prototype);
  });
});

/** [note, payload, expected request] for /get and /delete */
const TOKEN_REQUESTS: [string, RequestPayload, unknown][] = [
  ['empty payload (documented form)', '', {}],
  ['empty object', '{}', {}],
  ['clientToken', json({ clientToken: 'abc' }), { clientToken: 'abc' }],
  ['clientToken and version (v1 SDK: version must not fail get/delete)', json({ clientToken: 'abc', version: 7 }), { clientToken: 'abc' }],
  ['a stale version alone', json({ version: 99 }), {}],
  ['not JSON: content ignored', 'hello', {}],
  ['JSON array', '[1]', {}],
  ['bytes that are not UTF-8', Buffer.from([0xff]), {}],
];

describe('parseTokenRequest (get, delete)', () => {
  for (const [note, payload, expected] of TOKEN_REQUESTS) {
    test(note, () => {
      const parsed = parseTokenRequest(payload);
      if (!parsed.ok) assert.fail(parsed.error.message);
      assert.deepEqual(parsed.request, expected);
    });
  }

  for (const [note, token] of [['65 bytes', TOKEN_65], ['a number', 5]] as const) {
    test(`clientToken ${note} → 400 Invalid clientToken`, () => {
      const parsed = parseTokenRequest(json({ clientToken: token }));
      assert.ok(!parsed.ok);
      assert.deepEqual(parsed.error, { code: 400, message: 'Invalid clientToken' });
      assert.equal(parsed.clientToken, undefined);
    });
  }
});

/** [note, state, bytes] */
const SIZES: [string, ShadowState, number][] = [
  ['no sections', {}, 0],
  ['desired only: compact JSON', { desired: { a: 1 } }, 7],
  ['desired plus reported', { desired: { a: 1 }, reported: { b: 'xy' } }, 7 + 10],
  ['UTF-8 bytes, not characters', { reported: { é: 'ü' } }, 11],
];

describe('measureStateBytes (what the 8 KB limit counts)', () => {
  for (const [note, state, bytes] of SIZES) test(note, () => assert.equal(measureStateBytes(state), bytes));

  test('defaults: 8192 bytes, depth 6, clientToken 64 bytes', () => {
    assert.deepEqual({ ...DEFAULT_SHADOW_LIMITS }, { maxStateBytes: 8192, maxDepth: 6, maxClientTokenBytes: 64 });
  });
});
