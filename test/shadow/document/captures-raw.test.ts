/**
 * @module test/shadow/document/captures-raw — raw AWS shadow payloads (real traffic and developer-guide
 * examples) reproduced as exact JSON strings: same input → same bytes, timestamps passed in.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processDelete, processUpdate, type ShadowDocument } from '../../../src/shadow/document/index.js';
import { processed } from './helpers.js';

const THING = 'MyThing';
const json = (value: unknown) => JSON.stringify(value);
const ts = (timestamp: number) => ({ timestamp });

describe('raw captures, exact JSON', () => {
  test('spec §3.4 update/accepted example', () => {
    const out = processed(undefined, { state: { reported: { Color: 'green' } }, clientToken: '…' }, { nowSeconds: 1736882722 });
    assert.equal(
      JSON.stringify(out.accepted),
      '{"state":{"reported":{"Color":"green"}},"metadata":{"reported":{"Color":{"timestamp":1736882722}}},"version":1,"timestamp":1736882722,"clientToken":"…"}',
    );
  });

  test('moto#9237: UpdateThingShadow {"state": null} on version 17', () => {
    const current: ShadowDocument = { state: { reported: { a: 1 } }, metadata: { reported: { a: ts(1) } }, version: 17 };
    const out = processed(current, { state: null }, { nowSeconds: 1756452769 });
    assert.equal(JSON.stringify(out.accepted), '{"state":null,"metadata":{"timestamp":1756452769},"version":18,"timestamp":1756452769}');
    assert.deepEqual(out.document.state, {});
  });

  test('aws-iot-device-sdk-cpp#168: a payload with only a clientToken', () => {
    const out = processUpdate(undefined, '{"clientToken":"myToken_1567755983878044160"}', { nowSeconds: 1 });
    assert.ok(!out.ok);
    assert.equal(JSON.stringify(out.rejected), '{"code":400,"message":"Missing required node: state","clientToken":"myToken_1567755983878044160"}');
  });

  test('DG optimistic locking: version 9 against 10 → 409, version 10 → 11', () => {
    const current: ShadowDocument = {
      state: { desired: { colors: ['RED', 'GREEN', 'BLUE'] } },
      metadata: { desired: { colors: [ts(1), ts(1), ts(1)] } },
      version: 10,
    };
    const stale = processUpdate(current, json({ state: { desired: { colors: ['BLUE'] } }, version: 9, clientToken: '426bfd96-e720-46d3-95cd-014e3ef12bb6' }), { nowSeconds: 2 });
    assert.ok(!stale.ok);
    assert.equal(JSON.stringify(stale.rejected), '{"code":409,"message":"Version conflict","clientToken":"426bfd96-e720-46d3-95cd-014e3ef12bb6"}');
    const fresh = processed(current, { state: { desired: { colors: ['BLUE'] } }, version: 10 }, { nowSeconds: 2 });
    assert.deepEqual([fresh.document.state, fresh.document.version], [{ desired: { colors: ['BLUE'] } }, 11]);
  });

  test('DG delete/accepted example without a token', () => {
    const current: ShadowDocument = { state: {}, metadata: {}, version: 4 };
    const out = processDelete(current, '', { nowSeconds: 1591057529, thingName: THING });
    assert.ok(out.ok);
    assert.equal(JSON.stringify(out.accepted), '{"version":4,"timestamp":1591057529}');
  });

  test('DG message order example: two desired updates give deltas for versions 11 and 12', () => {
    const initial: ShadowDocument = { state: { reported: { color: 'blue' } }, metadata: { reported: { color: ts(123456777) } }, version: 10 };
    const first = processed(initial, { state: { desired: { color: 'RED' } }, version: 10, timestamp: 123456777 }, { nowSeconds: 123456778 });
    const second = processed(first.document, { state: { desired: { color: 'GREEN' } }, version: 11, timestamp: 123456778 }, { nowSeconds: 123456779 });
    assert.deepEqual(
      [first.delta, second.delta].map((d) => d && { state: d.state, version: d.version, timestamp: d.timestamp }),
      [
        { state: { color: 'RED' }, version: 11, timestamp: 123456778 },
        { state: { color: 'GREEN' }, version: 12, timestamp: 123456779 },
      ],
    );
  });
});
