/**
 * @module test/rules/sql/json-bytes — rule outputs serialize to exactly the bytes of
 * `Buffer.from(JSON.stringify(value))`, whatever path a value takes through the fast serializer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonBytes } from '../../../src/rules/sql/json-bytes.js';

const withOwnProto = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as unknown;
const nullPrototype = Object.assign(Object.create(null) as object, { b: 1, a: 'x' });

const rows: readonly (readonly [string, unknown])[] = [
  ['a three-field output', { topic: 'sensors/kitchen/humidity', client: 'dev-1', at: 1764648000123 }],
  ['empty object and array', { o: {}, a: [] }],
  ['nested values', { a: [1, 'two', { three: [true, false, null] }], b: { c: { d: -1.5e-7 } } }],
  ['numbers JSON spells its own way', [0, -0, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, -1.7976931348623157e308, 5e-324]],
  ['numbers without a JSON form', [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
  ['the same number twice, then another', [1764648000123, 1764648000123, 1764648000124, 1764648000123]],
  ['quotes and backslashes', { 'k"ey': 'a"b\\c', path: 'C:\\temp' }],
  ['control characters', { s: '\u0000\u0001\b\f\n\r\t\u001f\u007f' }],
  ['non-ASCII text', { é: 'café', emoji: '🌡️ 25°C', cjk: '箱' }],
  ['lone surrogates', ['\ud800', 'a\udfffb', '\ud83d']],
  ['integer-like keys come first', { b: 1, 2: 'two', a: 3, 1: 'one' }],
  ['members without a JSON form are left out', { a: undefined, f: () => 1, s: Symbol('s'), kept: 1 }],
  ['array holes and undefined become null', [undefined, () => 1, Symbol('s')]],
  ['an own __proto__ member', withOwnProto],
  ['a null-prototype object', nullPrototype],
  ['a member named constructor', { constructor: 'x', y: 1 }],
  ['a member named toJSON that is not a function', { toJSON: 'x' }],
  ['objects with toJSON', { when: new Date(0), bytes: Buffer.from([1, 2]), custom: { toJSON: () => ({ replaced: true }) } }],
  ['a member whose toJSON answers undefined is left out', { gone: { toJSON: () => undefined }, kept: 1, last: { toJSON: () => undefined } }],
  ['an output larger than a slab', { big: 'x'.repeat(20_000), more: ['é'.repeat(5_000), 'y'.repeat(9_000)] }],
  ['a typed array', { raw: Uint8Array.from([7, 8]) }],
  ['top-level scalars', 'text'],
  ['top-level number', 42],
  ['top-level null', null],
  ['top-level boolean', false],
  ['deep nesting', JSON.parse(`${'['.repeat(200)}1${']'.repeat(200)}`) as unknown],
];

for (const [name, value] of rows) {
  test(`rule output JSON: ${name}`, () => {
    const expected = Buffer.from(JSON.stringify(value), 'utf8');
    assert.deepEqual(jsonBytes(value), expected);
    assert.deepEqual(jsonBytes(value), expected, 'the second serialization (remembered number text) agrees too');
  });
}

test('rule output JSON: outputs written one after another keep their own bytes across slab boundaries', () => {
  const outputs = Array.from({ length: 2_000 }, (_, i) => ({ topic: `sensors/${i}/humidity`, value: i * 1.5, note: i % 7 === 0 ? 'ü'.repeat(i % 50) : 'ok', at: 1764648000000 + (i >> 4) }));
  const written = outputs.map((output) => jsonBytes(output));
  outputs.forEach((output, i) => assert.deepEqual(written[i], Buffer.from(JSON.stringify(output)), `output ${i}`));
});

test('rule output JSON: a refused output leaves nothing behind in the next one', () => {
  assert.throws(() => jsonBytes({ first: 'written', then: 1n }), TypeError);
  assert.deepEqual(jsonBytes({ a: 1 }), Buffer.from('{"a":1}'));
});

test('rule output JSON: values without a JSON text are refused as JSON.stringify refuses them', () => {
  assert.throws(() => jsonBytes(undefined), TypeError);
  assert.throws(() => jsonBytes({ big: 1n }), TypeError);
});
