/** @module test/shadow/document/operations — processUpdate/Get/Delete: token echo on every output, 404s, re-creation, rejections. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processDelete, processGet, processUpdate, type ShadowDocument } from '../../../src/shadow/document/index.js';
import { T0, documentAfter, processed } from './helpers.js';

const json = (value: unknown) => JSON.stringify(value);
const TOKEN = 'thing-client-1-7';
const lookup = { nowSeconds: T0, thingName: 'lamp' };

describe('clientToken is echoed on every response the request causes', () => {
  const current = documentAfter([{ state: { reported: { on: false } } }, T0]);

  test('update: accepted, documents and delta', () => {
    const out = processed(current, { state: { desired: { on: true } }, clientToken: TOKEN }, { nowSeconds: T0 });
    assert.deepEqual([out.accepted.clientToken, out.documents.clientToken, out.delta?.clientToken], [TOKEN, TOKEN, TOKEN]);
  });

  /** [note, payload, code] — rejections after the token was read */
  const REJECTIONS: [string, string, number][] = [
    ['409', json({ state: {}, version: 99, clientToken: TOKEN }), 409],
    ['413', json({ state: { reported: { a: 'x'.repeat(9000) } }, clientToken: TOKEN }), 413],
    ['400 invalid node', json({ state: { delta: {} }, clientToken: TOKEN }), 400],
    ['400 depth', json({ state: { desired: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } }, clientToken: TOKEN }), 400],
  ];
  for (const [note, payload, code] of REJECTIONS) {
    test(`update/rejected ${note}`, () => {
      const out = processUpdate(current, payload, { nowSeconds: T0 });
      assert.ok(!out.ok);
      assert.deepEqual([out.rejected.code, out.rejected.clientToken, out.rejected.timestamp], [code, TOKEN, undefined]);
      assert.equal(out.error.code, code);
    });
  }

  test('get: accepted and rejected', () => {
    const got = processGet(current, json({ clientToken: TOKEN }), lookup);
    assert.ok(got.ok);
    assert.equal(got.accepted.clientToken, TOKEN);
    const missing = processGet(undefined, json({ clientToken: TOKEN }), lookup);
    assert.ok(!missing.ok);
    assert.equal(missing.rejected.clientToken, TOKEN);
  });

  test('delete: accepted and rejected', () => {
    const deleted = processDelete(current, json({ clientToken: TOKEN }), lookup);
    assert.ok(deleted.ok);
    assert.deepEqual(deleted.accepted, { version: 1, timestamp: T0, clientToken: TOKEN });
    const missing = processDelete(undefined, json({ clientToken: TOKEN }), lookup);
    assert.ok(!missing.ok);
    assert.deepEqual(missing.rejected, { code: 404, message: "No shadow exists with name: 'lamp'", clientToken: TOKEN });
  });

  test('no token in the request → no clientToken key anywhere (HTTP API)', () => {
    const out = processed(current, { state: { desired: { on: true } } }, { nowSeconds: T0 });
    for (const payload of [out.accepted, out.documents, out.delta]) assert.equal(Object.hasOwn(payload ?? {}, 'clientToken'), false);
  });

  test('an invalid token is not echoed', () => {
    const out = processUpdate(current, json({ state: {}, clientToken: 'x'.repeat(65) }), { nowSeconds: T0 });
    assert.ok(!out.ok);
    assert.deepEqual(out.rejected, { code: 400, message: 'Invalid clientToken' });
    const got = processGet(current, json({ clientToken: 'x'.repeat(65) }), lookup);
    assert.ok(!got.ok);
    assert.deepEqual(got.rejected, { code: 400, message: 'Invalid clientToken' });
  });
});

describe('get and delete', () => {
  const current = documentAfter([{ state: { desired: { a: 1 } } }, T0]);

  test('the v1 SDK sends a (stale) version on get and delete; it does not fail them', () => {
    assert.ok(processGet(current, json({ clientToken: TOKEN, version: 42 }), lookup).ok);
    assert.ok(processDelete(current, json({ clientToken: TOKEN, version: 42 }), lookup).ok);
  });

  test('an empty payload is a valid get', () => {
    const got = processGet(current, Buffer.alloc(0), lookup);
    assert.ok(got.ok);
    assert.deepEqual(got.accepted.state, { desired: { a: 1 }, delta: { a: 1 } });
  });

  test('404 for a named shadow names thing~shadow', () => {
    const got = processGet(undefined, '', { ...lookup, shadowName: 'config' });
    assert.ok(!got.ok);
    assert.deepEqual(got.rejected, { code: 404, message: "No shadow exists with name: 'lamp~config'" });
  });

  test('get of a shadow cleared with "state": null still answers, with empty state', () => {
    const cleared = processed(current, { state: null }, { nowSeconds: T0 + 1 }).document;
    const got = processGet(cleared, '', { ...lookup, nowSeconds: T0 + 2 });
    assert.ok(got.ok);
    assert.deepEqual(got.accepted, { state: {}, metadata: {}, version: 2, timestamp: T0 + 2 });
  });
});

describe('update across a delete', () => {
  test('re-creation continues the version and omits previous', () => {
    const out = processed(undefined, { state: { reported: { a: 1 } } }, { nowSeconds: T0, deletedVersion: 17 });
    assert.equal(out.created, true);
    assert.equal(out.document.version, 18);
    assert.equal(Object.hasOwn(out.documents, 'previous'), false);
  });

  test('a versioned update after delete (v1 SDK) → 409', () => {
    const out = processUpdate(undefined, json({ state: { reported: { a: 1 } }, version: 17, clientToken: TOKEN }), { nowSeconds: T0, deletedVersion: 17 });
    assert.ok(!out.ok);
    assert.deepEqual(out.rejected, { code: 409, message: 'Version conflict', clientToken: TOKEN });
  });

  test('limits are passed through', () => {
    const out = processUpdate(undefined, json({ state: { reported: { a: 'x'.repeat(200) } } }), { nowSeconds: T0, limits: { maxStateBytes: 100 } });
    assert.ok(!out.ok);
    assert.equal(out.error.code, 413);
  });

  test('the stored document is what processUpdate returns', () => {
    const first: ShadowDocument = processed(undefined, { state: { reported: { a: 1 } } }, { nowSeconds: T0 }).document;
    const second = processed(first, { state: { reported: { b: 2 } } }, { nowSeconds: T0 + 1 });
    assert.equal(second.created, false);
    assert.deepEqual(second.document.state, { reported: { a: 1, b: 2 } });
  });
});
