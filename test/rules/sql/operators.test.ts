/**
 * @module test/rules/sql/operators — every operator with its type coercions, Undefined/Null handling,
 * deep equality, precedence, CASE, nested access and literals, as tables of expression → value
 * [spec §4.2; DG iot-sql-operators.md, iot-sql-case.md, iot-sql-literals.md].
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dec, expressionTable, run, V1, V2 } from './helpers.js';

const U = undefined;

const payload = {
  i: 5, d: 2.5, s: 'abc', n5: '5', t: 'true', f: 'FALSE', b: true, nul: null, z: 0, temperature: 50,
  arr: [1, 2, 3], obj: { a: 1, b: [1, 2], value: 3 }, color: 'yellow',
  deep: { x: { y: { z: 'v' } } }, list: [{ name: 'first', tags: ['a', 'b'] }, { name: 'second', tags: [] }],
};

expressionTable('+ adds numbers and concatenates strings', [
  ['2 + 3', 5],
  ['2 + 3.5', 5.5],
  ['2.5 + 2.5', 5],
  ["'a' + 'b'", 'ab'],
  ["'a' + 1", 'a1'],
  ["1 + 'a'", '1a'],
  ["'5' + 3", '53'],
  ["'x' + true", 'xtrue'],
  ["'x' + 1.5", 'x1.5'],
  ["'x' + [1, 'y']", 'x[1,"y"]'],
  ["'x' + {'k': 1}", 'x{"k":1}'],
  ["'x' + null", U],
  ["'x' + missing", U],
  ['true + 1', U],
  ['null + 1', U],
  ['[1] + 1', U],
  ['1 + missing', U],
  ['i + d', 7.5],
  ['s + i', 'abc5'],
], { payload });

expressionTable('- * / % are numeric, strings converted to Decimal', [
  ['7 - 2', 5],
  ["'7' - 2", 5],
  ["'7.5' - 2", 5.5],
  ["'abc' - 2", U],
  ['true - 1', U],
  ['3 * 4', 12],
  ['1.5 * 2', 3],
  ["'2' * '3'", 6],
  ['null * 2', U],
  ['7 / 2', 3],
  ['-7 / 2', -3],
  ['7 / -2', -3],
  ['7.0 / 2', 3],
  ['7.5 / 2.5', 3],
  ['7.5 / 2', 3.75],
  ['1 / 0', U],
  ['1.5 / 0', U],
  ["'9' / '3'", 3],
  ["'9' / 2", 4.5],
  ['7 % 3', 1],
  ['-7 % 3', -1],
  ['7.5 % 2', 1.5],
  ['5 % 0', U],
  ["'7' % 3", 1],
  ['i * 2', 10],
  ['d * 2', 5],
  ['missing - 1', U],
  ['(temperature - 32) * 5 / 9', 10],
], { payload });

expressionTable('2015-10-08 keeps whole-number Decimals as Decimals', [
  ['2.5 + 2.5', dec(5)],
  ["'7' - 2", dec(5)],
  ['7.0 / 2', 3.5],
  ['7 / 2.0', 3.5],
  ['7 / 2', 3],
  ['10.0', dec(10)],
  ['-10.0', dec(-10)],
  ['1.5 * 2', dec(3)],
  ['2 + 3', 5],
  ['1 = 1.0', true],
  ['1e3', dec(1000)],
], { payload, version: V1 });

expressionTable('unary minus and precedence', [
  ['2 + 3 * 4', 14],
  ['(2 + 3) * 4', 20],
  ['10 - 2 - 3', 5],
  ['2 * 3 % 4', 2],
  ['-2 * 3', -6],
  ['- i', -5],
  ['-d', -2.5],
  ['-s', U],
  ["-'2.5'", -2.5],
  ['-n5', -5],
  ['- -2', 2],
  ['-missing', U],
  ['-null', U],
  ['+3', 3],
  ['1e3', 1000],
  ['1.5E-3', 0.0015],
], { payload });

expressionTable('comparisons convert both sides to Decimal', [
  ['1 < 2', true],
  ['2 < 1', false],
  ['2 <= 2', true],
  ['3 > 2.5', true],
  ['2.5 >= 2.5', true],
  ['2.4 >= 2.5', false],
  ["'10' > 9", true],
  ["'10' > '9'", true],
  ["'1e2' > 99", true],
  ["'1E2' > 99", true],
  ["'-1.5' < 0", true],
  ["'.5' < 1", U],
  ["' 5' < 10", U],
  ["'abc' > 1", U],
  ['true > 1', U],
  ['null < 1', U],
  ['missing > 1', U],
  ['[1] < 2', U],
  ['i > 4', true],
  ['n5 >= 5', true],
], { payload });

expressionTable('= and <> with deep equality', [
  ['1 = 1', true],
  ['1 = 1.0', true],
  ['1 = 2', false],
  ["'a' = 'a'", true],
  ["'a' = 'A'", false],
  ["'1' = 1", false],
  ["true = 'true'", false],
  ['true = true', true],
  ['null = null', true],
  ['null = 0', false],
  ['null <> null', false],
  ['1 <> 2', true],
  ["1 <> '1'", true],
  ['1 != 2', true],
  ['missing = 1', U],
  ['1 = missing', U],
  ['missing <> 1', U],
  ['null = missing', U],
  ['[1, 2] = [1, 2]', true],
  ['[1, 2] = [2, 1]', false],
  ['[1, 2] <> [2, 1]', true],
  ['[1, [2, 3]] = [1, [2, 3]]', true],
  ["{'a': 1, 'b': 2} = {'b': 2, 'a': 1}", true],
  ["{'a': 1} = {'a': 1, 'b': 2}", false],
  ["{'a': [1, 2.0]} = {'a': [1, 2]}", true],
  ["{'a': null} = {'b': null}", false],
  ['arr = [1, 2, 3]', true],
  ["obj = {'a': 1, 'b': [1, 2], 'value': 3}", true],
  ['[1] = 1', false],
  ['{} = []', false],
  ['[] = []', true],
  ['i = 5.0', true],
  ["n5 = '5'", true],
], { payload });

expressionTable('AND OR NOT take Booleans or "true"/"false" strings', [
  ['true AND true', true],
  ['true AND false', false],
  ["'true' AND 'TRUE'", true],
  ["'true' AND false", false],
  ['t AND b', true],
  ['f OR false', false],
  ['f OR t', true],
  ["'yes' AND true", U],
  ['1 AND true', U],
  ['missing AND true', U],
  ['false AND missing', U],
  ['true OR missing', U],
  ['null OR true', U],
  ['NOT true', false],
  ["NOT 'false'", true],
  ["NOT 'FALSE'", true],
  ['NOT 1', U],
  ['NOT missing', U],
  ['NOT NOT true', true],
  ['NOT false AND false', false],
  ['true OR false AND false', true],
  ['false AND false OR true', true],
  ['1 < 2 AND 3 > 2', true],
  ['NOT 1 = 2', true],
  ['not true or TRUE', true],
], { payload });

expressionTable('CASE', [
  ["CASE 'yellow' WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' ELSE 'x' END", 'caution'],
  ["CASE color WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' WHEN 'red' THEN 'stop' ELSE 'not a light' END", 'caution'],
  ["CASE 'blue' WHEN 'green' THEN 'go' END", U],
  ["CASE 'blue' WHEN 'green' THEN 'go' ELSE 'other' END", 'other'],
  ['CASE missing WHEN 1 THEN 1 ELSE 2 END', U],
  ["CASE 1 WHEN 1.0 THEN 'a' END", 'a'],
  ["CASE 1 WHEN '1' THEN 'a' ELSE 'b' END", 'b'],
  ["CASE 1 WHEN 1 THEN 'first' WHEN 1 THEN 'second' END", 'first'],
  ['CASE i WHEN missing THEN 1 ELSE 2 END', 2],
  ['CASE arr WHEN [1, 2, 3] THEN true ELSE false END', true],
  ["CASE null WHEN null THEN 'null' END", 'null'],
  ["CASE WHEN i > 3 THEN 'big' ELSE 'small' END", 'big'],
  ["CASE WHEN missing THEN 'a' WHEN 'true' THEN 'b' END", 'b'],
  ['CASE i WHEN 5 THEN i * 10 END + 1', 51],
], { payload });

expressionTable('nested attributes and array indexes', [
  ['obj.a', 1],
  ['obj.b[1]', 2],
  ['obj.missing', U],
  ['obj.a.x', U],
  ['obj.value', 3],
  ['arr[0]', 1],
  ['arr[3]', U],
  ['arr[-1]', U],
  ['arr[1.6]', 3],
  ["arr['1']", 2],
  ['arr[true]', U],
  ["obj['a']", 1],
  ['s[0]', U],
  ['deep.x.y.z', 'v'],
  ['deep.x.y', { z: 'v' }],
  ['list[1].name', 'second'],
  ['list[0].tags[1]', 'b'],
  ['list[1].tags[0]', U],
  ['missing.a.b', U],
  ['nul.a', U],
  ['arr.length', U],
  ['constructor', U],
  ['obj.toString', U],
  ['__proto__', U],
  ['hasOwnProperty', U],
], { payload });

expressionTable('literals (2016-03-23)', [
  ["'it''s'", "it's"],
  ['"double"', 'double'],
  ['NULL', null],
  ['True', true],
  ['false', false],
  ["{'a': 1, 'b': missing}", { a: 1 }],
  ['{"k": i}', { k: 5 }],
  ["[1, 'a', missing, null]", [1, 'a', null]],
  ['[]', []],
  ['{}', {}],
  ["{'a': [1, {'b': 2}]}", { a: [1, { b: 2 }] }],
  ["{'latitude': get(arr, 0), 'longitude': get(arr, 1)}", { latitude: 1, longitude: 2 }],
  ["{'a': 1}.a", 1],
  ['[10, 20][1]', 20],
  ["{'__proto__': 1}", JSON.parse('{"__proto__": 1}')],
], { payload });

test('an object literal with a __proto__ key keeps it as data, not as a prototype', () => {
  const value = run("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__']);
});

test('comparisons of mismatched JSON numbers: a payload 10.0 reads as 10 (JSON.parse keeps no scale)', () => {
  assert.deepStrictEqual(run('x = 10', '{"x": 10.0}', V1), true);
  assert.deepStrictEqual(run('x / 4', '{"x": 10.0}', V2), 2);
});
