/** @module test/shadow/document/delta — the delta algorithm, its metadata, and when an update publishes update/delta. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeDelta, deltaMetadata, deltaToPublish, shadowDelta, type JsonObject } from '../../../src/shadow/document/index.js';
import { T0, documentAfter } from './helpers.js';

/** [note, desired, reported, delta (undefined = none)] */
const DELTAS: [string, unknown, unknown, unknown][] = [
  ['no desired → no delta', undefined, { a: 1 }, undefined],
  ['no reported → all of desired', { a: 1, o: { b: 2 } }, undefined, { a: 1, o: { b: 2 } }],
  ['equal → no delta', { a: 1, o: { b: [1, 2] } }, { a: 1, o: { b: [1, 2] } }, undefined],
  ['a differing scalar', { a: 1 }, { a: 2 }, { a: 1 }],
  ['DG example: keys only in desired included, report-only "engine" excluded', { color: 'RED', state: 'STOP' }, { color: 'GREEN', engine: 'ON' }, { color: 'RED', state: 'STOP' }],
  ['DG example: nested difference keeps the path to the root', { lights: { color: { r: 255, g: 255, b: 255 } } }, { lights: { color: { r: 255, g: 0, b: 255 } } }, { lights: { color: { g: 255 } } }],
  ['an equal nested object is left out', { o: { x: 1 }, a: 1 }, { o: { x: 1 }, a: 2 }, { a: 1 }],
  ['a desired parent missing from reported → the whole desired object', { o: { x: 1, y: { z: 2 } } }, { a: 1 }, { o: { x: 1, y: { z: 2 } } }],
  ['report-only nested keys never appear', { o: { x: 1 } }, { o: { x: 1, y: 2 } }, undefined],
  ['report-only values never appear (pain point #4)', { a: 1 }, { a: 1, b: 2, c: { d: 3 } }, undefined],
  ['arrays compared whole: same', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, undefined],
  ['arrays compared whole: one element differs → whole desired array', { a: [1, 2, 3] }, { a: [1, 9, 3] }, { a: [1, 2, 3] }],
  ['arrays compared whole: order matters', { a: [1, 2] }, { a: [2, 1] }, { a: [1, 2] }],
  ['arrays compared whole: length differs', { a: [1] }, { a: [1, 1] }, { a: [1] }],
  ['arrays of objects compared deeply', { a: [{ x: 1 }] }, { a: [{ x: 2 }] }, { a: [{ x: 1 }] }],
  ['type change: desired object, reported scalar', { a: { x: 1 } }, { a: 5 }, { a: { x: 1 } }],
  ['type change: desired scalar, reported object', { a: 5 }, { a: { x: 1 } }, { a: 5 }],
  ['type change: desired array, reported object', { a: [1] }, { a: { 0: 1 } }, { a: [1] }],
  ['type change: desired object, reported array', { a: { x: 1 } }, { a: [1] }, { a: { x: 1 } }],
  ['string "1" is not number 1', { a: '1' }, { a: 1 }, { a: '1' }],
  ['true is not "true"', { a: true }, { a: 'true' }, { a: true }],
  ['0 is not false', { a: 0 }, { a: false }, { a: 0 }],
  ['objects equal regardless of key order', { o: { x: 1, y: 2 } }, { o: { y: 2, x: 1 } }, undefined],
  ['nested arrays inside an object', { o: { a: [[1]] } }, { o: { a: [[2]] } }, { o: { a: [[1]] } }],
];

describe('computeDelta', () => {
  for (const [note, desired, reported, expected] of DELTAS) {
    test(note, () => {
      const state = { ...(desired === undefined ? {} : { desired: desired as JsonObject }), ...(reported === undefined ? {} : { reported: reported as JsonObject }) };
      assert.deepEqual(computeDelta(state), expected);
    });
  }

  test('numbers compare numerically: 1.0 equals 1, -0 equals 0', () => {
    const state = JSON.parse('{"desired":{"a":1.0,"b":-0,"c":1e2},"reported":{"a":1,"b":0,"c":100}}');
    assert.equal(computeDelta(state), undefined);
  });
});

describe('delta metadata = the desired metadata of the same paths', () => {
  const T1 = T0 + 5;

  test('DG example: color and state, not engine', () => {
    const document = documentAfter([{ state: { desired: { color: 'RED', state: 'STOP' } } }, T1], [{ state: { reported: { color: 'GREEN', engine: 'ON' } } }, T0]);
    assert.deepEqual(shadowDelta(document), {
      state: { color: 'RED', state: 'STOP' },
      metadata: { color: { timestamp: T1 }, state: { timestamp: T1 } },
    });
  });

  test('nested: only the differing leaf, with its path', () => {
    const document = documentAfter(
      [{ state: { desired: { lights: { color: { r: 255, g: 255, b: 255 } } } } }, T0],
      [{ state: { desired: { lights: { color: { g: 255 } } } } }, T1],
      [{ state: { reported: { lights: { color: { r: 255, g: 0, b: 255 } } } } }, T1],
    );
    assert.deepEqual(shadowDelta(document), { state: { lights: { color: { g: 255 } } }, metadata: { lights: { color: { g: { timestamp: T1 } } } } });
  });

  test('arrays and whole objects carry their whole metadata subtree', () => {
    const document = documentAfter([{ state: { desired: { a: [1, { b: 2 }], o: { x: 1, y: { z: 2 } } } } }, T0]);
    assert.deepEqual(shadowDelta(document)?.metadata, {
      a: [{ timestamp: T0 }, { b: { timestamp: T0 } }],
      o: { x: { timestamp: T0 }, y: { z: { timestamp: T0 } } },
    });
  });

  test('paths without stored metadata are left out', () => {
    assert.deepEqual(deltaMetadata({ a: 1, b: { c: 2 } }, { a: { timestamp: T0 } }), { a: { timestamp: T0 } });
    assert.deepEqual(deltaMetadata({ a: 1 }, undefined), {});
  });
});

/** [note, updates (state at T0), delta published after the last update (undefined = none)] */
const PUBLISH: [string, unknown[], unknown][] = [
  ['a desired change that differs from reported', [{ reported: { Color: 'green' } }, { desired: { Color: 'red' } }], { Color: 'red' }],
  ['desired on a shadow with no reported', [{ desired: { a: 1 } }], { a: 1 }],
  ['a reported-only change away from desired (J2: Great → Awful)', [{ reported: { Status: 'Great' } }, { desired: { Status: 'Great' } }, { reported: { Status: 'Awful' } }], { Status: 'Great' }],
  ['a reported change that brings them into agreement', [{ desired: { Color: 'red' } }, { reported: { Color: 'red' } }], undefined],
  ['a desired change equal to reported', [{ reported: { a: 1 } }, { desired: { a: 1 } }], undefined],
  ['an update touching unrelated keys while a delta is outstanding (spec §10 choice: full delta again)', [{ desired: { a: 1 } }, { reported: { b: 2 } }], { a: 1 }],
  ['a reported-only update on a shadow without desired', [{ reported: { a: 1 } }, { reported: { a: 2 } }], undefined],
  ['a delta shrinking to the still-differing keys', [{ desired: { a: 1, b: 1 } }, { reported: { a: 1 } }], { b: 1 }],
  ['"desired": null', [{ desired: { a: 1 } }, { desired: null }], undefined],
  ['"state": null', [{ desired: { a: 1 }, reported: { a: 2 } }, null], undefined],
  ['deleting the only differing desired key', [{ desired: { a: 1, b: 2 }, reported: { a: 1 } }, { desired: { b: null } }], undefined],
  ['report-only values after many reports (pain point #4)', [{ desired: { mode: 'eco' } }, { reported: { mode: 'eco', temp: 20 } }, { reported: { temp: 21, hum: 40 } }], undefined],
];

describe('deltaToPublish after an accepted update', () => {
  for (const [note, updates, expected] of PUBLISH) {
    test(note, () => {
      const document = documentAfter(...updates.map((state) => [{ state }, T0] as const));
      assert.deepEqual(deltaToPublish(document)?.state, expected);
    });
  }
});
