/** @module test/shadow/document/merge — merge/null/deletion rules, section clearing, accepted echo, immutability. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeUpdate, type ShadowDocument } from '../../../src/shadow/document/index.js';
import { T0, documentAfter, merged, request } from './helpers.js';

const T1 = T0 + 60;

/** [note, initial state (written at T0), update state (at T1), resulting state] */
const MERGES: [string, unknown, unknown, unknown][] = [
  ['adds a key', { reported: { a: 1 } }, { reported: { b: 2 } }, { reported: { a: 1, b: 2 } }],
  ['replaces a scalar', { reported: { a: 1 } }, { reported: { a: 2 } }, { reported: { a: 2 } }],
  ['merges nested objects key by key', { reported: { o: { x: 1, y: 2 } } }, { reported: { o: { y: 3, z: 4 } } }, { reported: { o: { x: 1, y: 3, z: 4 } } }],
  ['replaces an array whole (DG colors example)', { desired: { colors: ['RED', 'GREEN', 'BLUE'] } }, { desired: { colors: ['RED'] } }, { desired: { colors: ['RED'] } }],
  ['replaces an array of objects whole', { desired: { a: [{ x: 1 }, { y: 2 }] } }, { desired: { a: [{ z: 3 }] } }, { desired: { a: [{ z: 3 }] } }],
  ['array → object', { reported: { a: [1, 2] } }, { reported: { a: { x: 1 } } }, { reported: { a: { x: 1 } } }],
  ['object → scalar', { reported: { a: { x: 1 } } }, { reported: { a: 5 } }, { reported: { a: 5 } }],
  ['scalar → object', { reported: { a: 5 } }, { reported: { a: { x: 1 } } }, { reported: { a: { x: 1 } } }],
  ['object → array', { reported: { a: { x: 1 } } }, { reported: { a: [1] } }, { reported: { a: [1] } }],
  ['null deletes a key', { reported: { a: 1, b: 2 } }, { reported: { a: null } }, { reported: { b: 2 } }],
  ['null deletes a nested key', { reported: { o: { x: 1, y: 2 } } }, { reported: { o: { x: null } } }, { reported: { o: { y: 2 } } }],
  ['null deletes a whole subtree', { reported: { o: { x: { y: 1 } }, k: 1 } }, { reported: { o: null } }, { reported: { k: 1 } }],
  ['deleting the last nested key removes the emptied object', { reported: { o: { x: 1 }, k: 1 } }, { reported: { o: { x: null } } }, { reported: { k: 1 } }],
  ['deleting the last key removes the section', { desired: { a: 1 }, reported: { b: 1 } }, { desired: { a: null } }, { reported: { b: 1 } }],
  ['null on a missing key changes nothing', { reported: { a: 1 } }, { reported: { zz: null } }, { reported: { a: 1 } }],
  ['a new subtree of nulls is not created', { reported: { a: 1 } }, { reported: { n: { m: null, o: { p: null } } } }, { reported: { a: 1 } }],
  ['{} as a new value is not stored', { reported: { a: 1 } }, { reported: { e: {} } }, { reported: { a: 1 } }],
  ['{} merged into an object changes nothing', { reported: { o: { x: 1 } } }, { reported: { o: {} } }, { reported: { o: { x: 1 } } }],
  ['{} replacing a scalar leaves nothing to store', { reported: { a: 1, b: 2 } }, { reported: { a: {} } }, { reported: { b: 2 } }],
  ['"desired": null removes desired only', { desired: { a: 1 }, reported: { a: 2 } }, { desired: null }, { reported: { a: 2 } }],
  ['"reported": null removes reported only', { desired: { a: 1 }, reported: { a: 2 } }, { reported: null }, { desired: { a: 1 } }],
  ['"reported": null plus a desired change', { desired: { a: 1 }, reported: { a: 2 } }, { desired: { b: 1 }, reported: null }, { desired: { a: 1, b: 1 } }],
  ['"state": null clears both sections', { desired: { a: 1 }, reported: { a: 2 } }, null, {}],
  ['"state": {} changes nothing', { desired: { a: 1 } }, {}, { desired: { a: 1 } }],
  ['"desired": {} changes nothing', { desired: { a: 1 } }, { desired: {} }, { desired: { a: 1 } }],
  ['both sections in one update', { desired: { a: 1 } }, { desired: { a: 2 }, reported: { a: 2 } }, { desired: { a: 2 }, reported: { a: 2 } }],
  ['"null" the string, false, 0 and "" are values', { reported: { a: 1 } }, { reported: { s: 'null', f: false, z: 0, e: '' } }, { reported: { a: 1, s: 'null', f: false, z: 0, e: '' } }],
  ['a section can be created on an empty shadow', {}, { reported: { a: 1 } }, { reported: { a: 1 } }],
];

describe('mergeUpdate state', () => {
  for (const [note, initial, update, expected] of MERGES) {
    test(note, () => {
      const before = documentAfter([{ state: initial }, T0]);
      assert.deepEqual(merged(before, { state: update }, T1).document.state, expected);
    });
  }

  test('a "__proto__" key is stored as data and can be deleted', () => {
    const first = mergeUpdate(undefined, request(JSON.parse('{"state":{"reported":{"__proto__":{"x":1},"k":1}}}')), { nowSeconds: T0 });
    assert.ok(first.ok);
    const reported = first.document.state.reported ?? {};
    assert.deepEqual(Object.keys(reported), ['__proto__', 'k']);
    assert.equal(Object.getPrototypeOf(reported), Object.prototype);
    const second = merged(first.document, JSON.parse('{"state":{"reported":{"__proto__":{"y":2}}}}'), T1);
    assert.deepEqual(JSON.parse(JSON.stringify(second.document.state)), JSON.parse('{"reported":{"__proto__":{"x":1,"y":2},"k":1}}'));
    const third = merged(second.document, JSON.parse('{"state":{"reported":{"__proto__":null}}}'), T1);
    assert.deepEqual(third.document.state, { reported: { k: 1 } });
  });

  test('"constructor" and "toString" are ordinary keys', () => {
    const document = documentAfter([{ state: { reported: { constructor: { a: 1 }, toString: 2 } } }, T0]);
    assert.deepEqual(merged(document, { state: { reported: { constructor: { b: 1 } } } }, T1).document.state, {
      reported: { constructor: { a: 1, b: 1 }, toString: 2 },
    });
  });
});

describe('mergeUpdate purity', () => {
  test('the current document is not mutated and untouched sections are shared', () => {
    const before = documentAfter([{ state: { desired: { a: { b: 1 } }, reported: { c: [1, 2] } } }, T0]);
    const snapshot = structuredClone(before);
    const after = merged(before, { state: { desired: { a: { b: null, d: 2 } } } }, T1);
    assert.deepEqual(before, snapshot);
    assert.equal(after.document.state.reported, before.state.reported);
    assert.equal(after.previous, before);
  });

  test('previous is absent when the update creates the shadow', () => {
    assert.equal(merged(undefined, { state: { reported: { a: 1 } } }).previous, undefined);
  });

  test('the document timestamp is the update time', () => {
    assert.equal(merged(undefined, { state: {} }, T1).document.timestamp, T1);
  });
});

/** [note, update state, accepted metadata at T1] — `update/accepted` echoes only what the request touched. */
const ACCEPTED: [string, unknown, unknown][] = [
  ['a leaf', { reported: { Color: 'green' } }, { reported: { Color: { timestamp: T1 } } }],
  ['nulls are echoed with a timestamp', { reported: { a: null, b: 1 } }, { reported: { a: { timestamp: T1 }, b: { timestamp: T1 } } }],
  ['"desired": null', { desired: null }, { desired: { timestamp: T1 } }],
  ['nested objects and arrays', { desired: { o: { x: [1, { y: 2 }] } } }, { desired: { o: { x: [{ timestamp: T1 }, { y: { timestamp: T1 } }] } } }],
  ['an empty state', {}, {}],
  ['an empty object', { desired: { e: {} } }, { desired: { e: {} } }],
];

describe('mergeUpdate accepted change', () => {
  for (const [note, state, metadata] of ACCEPTED) {
    test(note, () => {
      const before = documentAfter([{ state: { desired: { keep: 1 }, reported: { keep: 1 } } }, T0]);
      const result = merged(before, { state }, T1);
      assert.deepEqual(result.accepted, { state, metadata });
    });
  }

  test('"state": null → state null, metadata {timestamp} (real UpdateThingShadow answer, moto#9237)', () => {
    const before = documentAfter([{ state: { reported: { a: 1 } } }, T0]);
    assert.deepEqual(merged(before, { state: null }, T1).accepted, { state: null, metadata: { timestamp: T1 } });
  });

  test('the echoed state is the request as sent, in its key order', () => {
    const body = '{"state":{"reported":{"z":1,"a":null}},"clientToken":"t"}';
    const result = merged(undefined, JSON.parse(body), T1);
    assert.equal(JSON.stringify(result.accepted.state), '{"reported":{"z":1,"a":null}}');
  });
});

describe('mergeUpdate on an empty shadow', () => {
  test('"state": null on a cleared shadow keeps it existing with no sections', () => {
    const cleared: ShadowDocument = documentAfter([{ state: { reported: { a: 1 } } }, T0], [{ state: null }, T0]);
    assert.deepEqual(cleared, { state: {}, metadata: {}, version: 2, timestamp: T0 });
    assert.deepEqual(merged(cleared, { state: { desired: { a: 1 } } }, T1).document, {
      state: { desired: { a: 1 } },
      metadata: { desired: { a: { timestamp: T1 } } },
      version: 3,
      timestamp: T1,
    });
  });
});
