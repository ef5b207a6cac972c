/** @module test/shadow/document/version-size — version numbering, optimistic locking (409) and the 8 KB state limit (413). */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkVersion, mergeUpdate, type ShadowDocument } from '../../../src/shadow/document/index.js';
import { T0, documentAfter, merged, request } from './helpers.js';

const CONFLICT = { code: 409, message: 'Version conflict' };
const TOO_LARGE = { code: 413, message: 'The payload exceeds the maximum size allowed' };

describe('version numbering', () => {
  test('1 at creation, +1 per accepted update', () => {
    let document: ShadowDocument | undefined;
    const versions: number[] = [];
    for (const state of [{ reported: { a: 1 } }, { desired: { a: 2 } }, { reported: { a: 2 } }]) {
      document = merged(document, { state }).document;
      versions.push(document.version);
    }
    assert.deepEqual(versions, [1, 2, 3]);
  });

  /** [note, update state] — every accepted update counts, even one that changes nothing */
  const COUNTING: [string, unknown][] = [
    ['"state": null', null],
    ['"state": {}', {}],
    ['the same value again', { reported: { a: 1 } }],
    ['deleting a missing key', { reported: { zz: null } }],
  ];
  for (const [note, state] of COUNTING) {
    test(`${note} increments the version`, () => {
      const before = documentAfter([{ state: { reported: { a: 1 } } }, T0]);
      assert.equal(merged(before, { state }).document.version, 2);
    });
  }

  test('a shadow re-created after a delete continues the old numbering (J2: deleted at 17)', () => {
    const result = mergeUpdate(undefined, request({ state: { reported: { a: 1 } } }), { nowSeconds: T0, deletedVersion: 17 });
    assert.ok(result.ok);
    assert.equal(result.document.version, 18);
    assert.equal(result.previous, undefined);
  });
});

describe('optimistic locking', () => {
  const atVersion3 = () => documentAfter([{ state: { reported: { a: 1 } } }, T0], [{ state: { reported: { a: 2 } } }, T0], [{ state: { reported: { a: 3 } } }, T0]);

  test('a matching version is accepted and the new version is one more', () => {
    const document = merged(atVersion3(), { state: { desired: { a: 4 } }, version: 3 }).document;
    assert.equal(document.version, 4);
  });

  /** [note, requested version] */
  const MISMATCH: [string, number][] = [
    ['older (DG: version 9 against 10)', 2],
    ['newer', 4],
    ['zero', 0],
  ];
  for (const [note, version] of MISMATCH) {
    test(`409 Version conflict: ${note}`, () => {
      const current = atVersion3();
      const snapshot = structuredClone(current);
      const result = mergeUpdate(current, request({ state: { desired: { a: 9 } }, version }), { nowSeconds: T0 });
      assert.deepEqual(result, { ok: false, error: CONFLICT });
      assert.deepEqual(current, snapshot);
    });
  }

  for (const version of [0, 1]) {
    test(`409 for version ${version} when no live shadow exists`, () => {
      assert.deepEqual(mergeUpdate(undefined, request({ state: {}, version }), { nowSeconds: T0 }), { ok: false, error: CONFLICT });
    });
  }

  test('409 for the v1 SDK re-using the last version after a delete (aws-iot-device-sdk-js#68)', () => {
    const result = mergeUpdate(undefined, request({ state: { reported: { a: 1 } }, version: 17 }), { nowSeconds: T0, deletedVersion: 17 });
    assert.deepEqual(result, { ok: false, error: CONFLICT });
  });

  test('no version bypasses the check', () => {
    assert.equal(checkVersion(atVersion3(), undefined), undefined);
    assert.equal(checkVersion(undefined, undefined), undefined);
  });
});

/** A reported document whose compact JSON is exactly `bytes` long: `{"a":"xxx…"}` is 8 bytes plus the string. */
const sized = (bytes: number) => ({ a: 'x'.repeat(bytes - 8) });

describe('413 The payload exceeds the maximum size allowed', () => {
  test('exactly 8192 bytes of state is accepted, 8193 is not', () => {
    assert.ok(mergeUpdate(undefined, request({ state: { reported: sized(8192) } }), { nowSeconds: T0 }).ok);
    assert.deepEqual(mergeUpdate(undefined, request({ state: { reported: sized(8193) } }), { nowSeconds: T0 }), { ok: false, error: TOO_LARGE });
  });

  test('the whole resulting document counts, not the request (a small update to a big shadow)', () => {
    const big = documentAfter([{ state: { reported: sized(8000) } }, T0]);
    const result = mergeUpdate(big, request({ state: { desired: { b: 'y'.repeat(200) } } }), { nowSeconds: T0 });
    assert.deepEqual(result, { ok: false, error: TOO_LARGE });
  });

  test('desired and reported both count', () => {
    const half = documentAfter([{ state: { reported: sized(4096) } }, T0]);
    assert.ok(mergeUpdate(half, request({ state: { desired: sized(4096) } }), { nowSeconds: T0 }).ok);
    assert.deepEqual(mergeUpdate(half, request({ state: { desired: sized(4097) } }), { nowSeconds: T0 }), { ok: false, error: TOO_LARGE });
  });

  test('metadata does not count (many short keys: metadata far larger than the state)', () => {
    const reported: Record<string, number> = {};
    for (let i = 0; i < 600; i++) reported[`k${i}`] = 1;
    const result = mergeUpdate(undefined, request({ state: { reported } }), { nowSeconds: T0 });
    assert.ok(result.ok);
    assert.ok(JSON.stringify(result.document.metadata).length > 8192);
  });

  test('an update that shrinks the state is accepted even near the limit', () => {
    const full = documentAfter([{ state: { reported: sized(8192) } }, T0]);
    assert.ok(mergeUpdate(full, request({ state: { reported: { a: 'small' } } }), { nowSeconds: T0 }).ok);
  });

  test('the limit is configurable', () => {
    const options = { nowSeconds: T0, limits: { maxStateBytes: 100 } };
    assert.ok(mergeUpdate(undefined, request({ state: { reported: sized(100) } }), options).ok);
    assert.deepEqual(mergeUpdate(undefined, request({ state: { reported: sized(101) } }), options), { ok: false, error: TOO_LARGE });
  });

  test('409 is checked before 413', () => {
    const result = mergeUpdate(undefined, request({ state: { reported: sized(9000) }, version: 1 }), { nowSeconds: T0 });
    assert.deepEqual(result, { ok: false, error: CONFLICT });
  });
});
