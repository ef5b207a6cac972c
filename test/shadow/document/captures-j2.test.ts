/**
 * @module test/shadow/document/captures-j2 — AWS's captured shadow traffic from [J2]
 * (aws-iot-device-sdk-java-v2 samples/ServiceClients/ShadowSandbox/README.md) replayed through
 * processUpdate/processGet/processDelete with the captured timestamps. The SDK re-serialized what it
 * received, so payloads are compared as objects; its ShadowUpdatedEvent model has no clientToken field, so
 * `documents` is compared without it (the echo itself is tested in operations.test.ts).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processDelete, processGet, type ShadowDocument } from '../../../src/shadow/document/index.js';
import { processed } from './helpers.js';

const THING = 'MyThing';
const json = (value: unknown) => JSON.stringify(value);
const ts = (timestamp: number) => ({ timestamp });
const withoutToken = <T extends { clientToken?: string }>(payload: T) => {
  const { clientToken: _, ...rest } = payload;
  return rest;
};

describe('[J2] ShadowSandbox walkthrough', () => {
  let shadow: ShadowDocument | undefined;
  const update = (section: 'desired' | 'reported', value: unknown, clientToken: string, nowSeconds: number) => {
    const outcome = processed(shadow, { state: { [section]: value }, clientToken }, { nowSeconds });
    shadow = outcome.document;
    return outcome;
  };

  test('get before any update → 404 with the token', () => {
    const outcome = processGet(undefined, json({ clientToken: 'uuid-1' }), { nowSeconds: 1736882700, thingName: THING });
    assert.ok(!outcome.ok);
    assert.deepEqual(outcome.rejected, { clientToken: 'uuid-1', code: 404, message: "No shadow exists with name: 'MyThing'" });
  });

  test('update-reported {"Color":"green"} creates version 1', () => {
    const out = update('reported', { Color: 'green' }, 'c3bae0fb-5f5c-46d3-ab6e-ef276ce2e6af', 1736882722);
    assert.equal(out.created, true);
    assert.deepEqual(out.accepted, {
      clientToken: 'c3bae0fb-5f5c-46d3-ab6e-ef276ce2e6af',
      state: { reported: { Color: 'green' } },
      metadata: { reported: { Color: ts(1736882722) } },
      timestamp: 1736882722,
      version: 1,
    });
    assert.deepEqual(withoutToken(out.documents), {
      current: { state: { reported: { Color: 'green' } }, metadata: { reported: { Color: ts(1736882722) } }, version: 1 },
      timestamp: 1736882722,
    });
    assert.equal(out.delta, undefined);
  });

  test('update-desired {"Color":"green"} → version 2, in sync, no delta', () => {
    const out = update('desired', { Color: 'green' }, 'a7e0454b-3bdf-4f01-bae3-17fb1ec3c094', 1736882875);
    assert.deepEqual(out.accepted, {
      clientToken: 'a7e0454b-3bdf-4f01-bae3-17fb1ec3c094',
      state: { desired: { Color: 'green' } },
      metadata: { desired: { Color: ts(1736882875) } },
      timestamp: 1736882875,
      version: 2,
    });
    assert.equal(out.delta, undefined);
  });

  test('update-desired {"Color":"red"} → documents, delta and accepted as captured', () => {
    const out = update('desired', { Color: 'red' }, 'c2447b9b-3601-4150-b113-320c7d93da6d', 1736882961);
    assert.deepEqual(withoutToken(out.documents), {
      previous: {
        state: { desired: { Color: 'green' }, reported: { Color: 'green' } },
        metadata: { desired: { Color: ts(1736882875) }, reported: { Color: ts(1736882722) } },
        version: 2,
      },
      current: {
        state: { desired: { Color: 'red' }, reported: { Color: 'green' } },
        metadata: { desired: { Color: ts(1736882961) }, reported: { Color: ts(1736882722) } },
        version: 3,
      },
      timestamp: 1736882961,
    });
    assert.deepEqual(out.delta, {
      state: { Color: 'red' },
      metadata: { Color: ts(1736882961) },
      timestamp: 1736882961,
      version: 3,
      clientToken: 'c2447b9b-3601-4150-b113-320c7d93da6d',
    });
    assert.deepEqual(out.accepted, {
      clientToken: 'c2447b9b-3601-4150-b113-320c7d93da6d',
      state: { desired: { Color: 'red' } },
      metadata: { desired: { Color: ts(1736882961) } },
      timestamp: 1736882961,
      version: 3,
    });
  });

  test('update-reported {"Color":"red"} → version 4, back in sync, no delta', () => {
    const out = update('reported', { Color: 'red' }, '5209d058-261b-471a-8859-d682e795798d', 1736883022);
    assert.deepEqual(out.accepted.metadata, { reported: { Color: ts(1736883022) } });
    assert.equal(out.accepted.version, 4);
    assert.deepEqual(withoutToken(out.documents).current, {
      state: { desired: { Color: 'red' }, reported: { Color: 'red' } },
      metadata: { desired: { Color: ts(1736882961) }, reported: { Color: ts(1736883022) } },
      version: 4,
    });
    assert.equal(out.delta, undefined);
  });

  test('Status reported then desired; get returns version 6 with both timestamps per section', () => {
    update('reported', { Status: 'Great' }, 'u5', 1736885487);
    assert.equal(update('desired', { Status: 'Great' }, 'u6', 1736885497).delta, undefined);
    const got = processGet(shadow, json({ clientToken: 'bcefd4e7-f9ac-48b3-8542-aa2fce3d044d' }), { nowSeconds: 1736885515, thingName: THING });
    assert.ok(got.ok);
    assert.deepEqual(got.accepted, {
      clientToken: 'bcefd4e7-f9ac-48b3-8542-aa2fce3d044d',
      state: { desired: { Status: 'Great', Color: 'red' }, reported: { Status: 'Great', Color: 'red' } },
      metadata: {
        desired: { Status: ts(1736885497), Color: ts(1736882961) },
        reported: { Status: ts(1736885487), Color: ts(1736883022) },
      },
      timestamp: 1736885515,
      version: 6,
    });
  });

  test('update-reported {"Status":"Awful"} → delta {"Status":"Great"} with the desired timestamp', () => {
    const out = update('reported', { Status: 'Awful' }, '55c67835-67c9-412a-a943-1e2052d8c76f', 1736885551);
    assert.deepEqual(out.accepted, {
      clientToken: '55c67835-67c9-412a-a943-1e2052d8c76f',
      state: { reported: { Status: 'Awful' } },
      metadata: { reported: { Status: ts(1736885551) } },
      timestamp: 1736885551,
      version: 7,
    });
    assert.deepEqual(out.delta, {
      state: { Status: 'Great' },
      metadata: { Status: ts(1736885497) },
      timestamp: 1736885551,
      version: 7,
      clientToken: '55c67835-67c9-412a-a943-1e2052d8c76f',
    });
    assert.deepEqual(withoutToken(out.documents).current, {
      state: { desired: { Status: 'Great', Color: 'red' }, reported: { Status: 'Awful', Color: 'red' } },
      metadata: {
        desired: { Status: ts(1736885497), Color: ts(1736882961) },
        reported: { Status: ts(1736885551), Color: ts(1736883022) },
      },
      version: 7,
    });
  });

  test('Status null in reported then desired removes it fully', () => {
    update('reported', { Status: null }, 'u8', 1736888000);
    update('desired', { Status: null }, 'u9', 1736888001);
    const got = processGet(shadow, json({ clientToken: 'g' }), { nowSeconds: 1736888076, thingName: THING });
    assert.ok(got.ok);
    assert.deepEqual(got.accepted.state, { desired: { Color: 'red' }, reported: { Color: 'red' } });
    assert.deepEqual(got.accepted.metadata, { desired: { Color: ts(1736882961) }, reported: { Color: ts(1736883022) } });
    assert.equal(got.accepted.version, 9);
  });

  test('delete → {"clientToken","timestamp","version":<last>}', () => {
    const at17: ShadowDocument = { ...(shadow as ShadowDocument), version: 17 };
    const out = processDelete(at17, json({ clientToken: 'ec7e0fd2-0ef0-4215-bead-693a3a37f0f1' }), { nowSeconds: 1736888506, thingName: THING });
    assert.ok(out.ok);
    assert.deepEqual(out.accepted, { clientToken: 'ec7e0fd2-0ef0-4215-bead-693a3a37f0f1', timestamp: 1736888506, version: 17 });
  });
});
