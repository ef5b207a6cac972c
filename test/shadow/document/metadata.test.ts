/** @module test/shadow/document/metadata — stored metadata mirroring the state, with per-leaf timestamps in epoch seconds. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metadataOf } from '../../../src/shadow/document/index.js';
import { T0, documentAfter } from './helpers.js';

const T1 = T0 + 100;
const at = (timestamp: number) => ({ timestamp });

/** [note, initial state (at T0), update state (at T1), resulting metadata] */
const METADATA: [string, unknown, unknown, unknown][] = [
  ['an untouched leaf keeps its time, the written one gets the new time (J2 Status/Color)', { reported: { Status: 'Great', Color: 'red' } }, { reported: { Status: 'Awful' } }, { reported: { Status: at(T1), Color: at(T0) } }],
  ['rewriting the same value still refreshes its time', { reported: { a: 1 } }, { reported: { a: 1 } }, { reported: { a: at(T1) } }],
  ['a nested write keeps sibling metadata', { reported: { o: { x: 1, y: 2 } } }, { reported: { o: { y: 3 } } }, { reported: { o: { x: at(T0), y: at(T1) } } }],
  ['arrays get per-element metadata, objects in arrays nest', {}, { desired: { a: [1, { b: 2 }, [3]] } }, { desired: { a: [at(T1), { b: at(T1) }, [at(T1)]] } }],
  ['a replaced array gets fresh per-element metadata', { desired: { a: [1, 2, 3] } }, { desired: { a: [9] } }, { desired: { a: [at(T1)] } }],
  ['object → scalar replaces the metadata subtree', { reported: { a: { x: 1, y: 2 } } }, { reported: { a: 5 } }, { reported: { a: at(T1) } }],
  ['scalar → object replaces the leaf metadata', { reported: { a: 5 } }, { reported: { a: { x: 1 } } }, { reported: { a: { x: at(T1) } } }],
  ['array → object', { reported: { a: [1, 2] } }, { reported: { a: { x: 1 } } }, { reported: { a: { x: at(T1) } } }],
  ['a deleted key loses its metadata', { reported: { a: 1, b: 2 } }, { reported: { a: null } }, { reported: { b: at(T0) } }],
  ['an emptied object loses its metadata', { reported: { o: { x: 1 }, b: 2 } }, { reported: { o: { x: null } } }, { reported: { b: at(T0) } }],
  ['"desired": null removes desired metadata', { desired: { a: 1 }, reported: { a: 1 } }, { desired: null }, { reported: { a: at(T0) } }],
  ['"state": null removes all metadata', { desired: { a: 1 }, reported: { a: 1 } }, null, {}],
  ['a user key named "timestamp" holding a leaf', {}, { reported: { timestamp: 5 } }, { reported: { timestamp: at(T1) } }],
  ['an object with a "timestamp" key merges as an object', { reported: { o: { timestamp: 1, b: 2 } } }, { reported: { o: { b: 3 } } }, { reported: { o: { timestamp: at(T0), b: at(T1) } } }],
  ['desired and reported are kept apart', { desired: { a: 1 } }, { reported: { a: 1 } }, { desired: { a: at(T0) }, reported: { a: at(T1) } }],
];

describe('stored metadata', () => {
  for (const [note, initial, update, expected] of METADATA) {
    test(note, () => {
      const document = documentAfter([{ state: initial }, T0], [{ state: update }, T1]);
      assert.deepEqual(document.metadata, expected);
    });
  }

  test('timestamps are the integer epoch seconds passed in', () => {
    const document = documentAfter([{ state: { reported: { a: 1 } } }, 1736882722]);
    assert.equal(JSON.stringify(document.metadata), '{"reported":{"a":{"timestamp":1736882722}}}');
  });
});

describe('metadataOf', () => {
  /** [note, value, metadata at T0] */
  const CASES: [string, unknown, unknown][] = [
    ['string', 'x', at(T0)],
    ['number', 1.5, at(T0)],
    ['boolean', false, at(T0)],
    ['null (request echo)', null, at(T0)],
    ['empty array', [], []],
    ['empty object', {}, {}],
    ['array of arrays', [[1], []], [[at(T0)], []]],
  ];
  for (const [note, value, expected] of CASES) {
    test(note, () => assert.deepEqual(metadataOf(value as never, T0), expected));
  }
});
