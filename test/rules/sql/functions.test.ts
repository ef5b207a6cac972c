/**
 * @module test/rules/sql/functions — every built-in function: the documented examples, the conversion
 * of other argument types and the bad-argument cases that yield Undefined [DG iot-sql-functions.md].
 * Date/time functions are in `time.test.ts`; metadata functions that read the context are at the end.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { FUNCTIONS } from '../../../src/rules/sql/index.js';
import { dec, expressionTable, run, V1, V2 } from './helpers.js';

const U = undefined;
const payload = {
  obj: { a: 1 }, arr: [1, 2, 3], s: 'abc', tabbed: '\t x \n', 'my-key': 'dash',
  mydata: { item2: { 0: { 'my-key': 'myValue' } } }, encoded_temp: 'eyAidGVtcGVyYXR1cmUiOiAzMyB9Cg==',
};

expressionTable('math: abs ceil floor round sign', [
  ['abs(-5)', 5], ['abs(-5.5)', 5.5], ["abs('-5.123')", 5.123], ['abs(true)', U], ['abs(null)', U], ["abs('x')", U],
  ['abs()', U], ['abs(1, 2)', U],
  ['ceil(1.2)', 2], ['ceil(-1.2)', -1], ['ceil(5)', 5], ["ceil('1.5')", 2], ['ceil(true)', U],
  ['floor(1.2)', 1], ['floor(-1.2)', -2], ["floor('x')", U], ['floor([1, 2, 3])', U],
  ['round(1.2)', 1], ['round(1.5)', 2], ['round(1.7)', 2], ['round(-1.1)', -1], ['round(-1.5)', -2], ['round(3)', 3],
  ["round('2.5')", 3], ['round([1])', U], ['Round(1.5)', 2],
  ['sign(-7)', -1], ['sign(0)', 0], ['sign(13)', 1], ['sign(-0.5)', -1], ["sign('x')", U], ['sign(null)', U],
], { payload });

expressionTable('math: double-precision functions', [
  ['sqrt(9)', 3], ['sqrt(2)', Math.SQRT2], ['sqrt(-1)', U], ["sqrt('x')", U],
  ['power(2, 5)', 32], ['power(2, 0.5)', Math.SQRT2], ["power('2', '3')", 8], ["power(2, 'x')", U], ['power(2)', U],
  ['exp(0)', 1], ['exp(1)', Math.E], ['ln(1)', 0], ['ln(0)', U], ['log(100)', 2], ['log(-1)', U],
  ['sin(0)', 0], ['cos(0)', 1], ['tan(3)', -0.1425465430742778],
  ['asin(0)', 0], ['acos(0)', 1.5707963267948966], ['acos(2)', U], ['atan(0)', 0], ['atan2(1, 0)', 1.5707963267948966],
  ['sinh(2.3)', 4.936961805545957], ['cosh(2.3)', 5.037220649268761], ['tanh(2.3)', 0.9800963962661914],
  ['cos(true)', U], ['atan2(1, null)', U],
], { payload });

expressionTable('math: Decimals of double precision stay Decimal under 2015-10-08', [
  ['sqrt(9)', dec(3)], ['power(2, 5)', dec(32)], ['cos(0)', dec(1)], ['abs(-2.0)', dec(2)], ['abs(-2)', 2], ['ceil(1.2)', 2],
], { payload, version: V1 });

expressionTable('math: mod remainder trunc', [
  ['mod(8, 3)', 2], ['mod(-8, 3)', -2], ['mod(8.5, 3)', 2.5], ['mod(8, 0)', U], ["mod('8', 3)", 2], ['mod(true, 3)', U],
  ['remainder(8, 3)', 2], ['remainder(8, 0)', U],
  ['trunc(2.3, 0)', 2], ['trunc(2.3123, 2)', 2.31], ['trunc(2.888, 2)', 2.88], ['trunc(2.00, 5)', 2], ['trunc(0.29, 2)', 0.29],
  ['trunc(-2.567, 1)', -2.5], ['trunc(5, 2)', 5], ["trunc('2.345', 1)", 2.3], ["trunc(2.345, '1')", U], ['trunc(2.3, -1)', 2],
  ['trunc(2.345, 1.9)', 2.3], ['trunc(null, 1)', U],
], { payload });

expressionTable('math: bitwise on 64-bit integers', [
  ['bitand(13, 5)', 5], ['bitor(8, 5)', 13], ['bitxor(13, 5)', 8], ['bitnot(13)', -14], ['bitnot(-1)', 0],
  ['bitand(13.9, 5.2)', 5], ["bitand('13', '5')", 5], ['bitand(true, 1)', U], ['bitor(-1, 0)', -1],
  ['bitand(1099511627777, 1099511627776)', 1099511627776], ["bitnot('x')", U], ['bitxor(1)', U],
], { payload });

expressionTable('cast', [
  ['cast(true AS Int)', 1], ['cast(false AS Integer)', 0], ['cast(2.7 AS Int)', 2], ['cast(-2.7 AS Int)', -3],
  ["cast('3.9' AS Int)", 3], ["cast('x' AS Int)", U], ['cast(null AS Int)', U], ['cast([1] AS Int)', U],
  ['cast(1 AS String)', '1'], ['cast(1.5 AS Nvarchar)', '1.5'], ['cast(true AS Text)', 'true'],
  ["cast([1, 'a'] AS varchar)", '[1,"a"]'], ["cast({'k': null} AS Ntext)", '{"k":null}'], ['cast(null AS String)', U],
  ['cast(obj AS String)', '{"a":1}'],
  ['cast(1 AS Double)', 1], ["cast('2.5' AS Double)", 2.5], ['cast(10.0 AS String)', '10'],
  ['cast(1 AS Decimal)', 1], ['cast(0 AS Bool)', false], ['cast(2.5 AS Boolean)', true], ["cast('TRUE' AS Boolean)", true],
  ["cast('yes' AS Boolean)", U], ['cast(null AS Boolean)', U], ['CAST(1 as string)', '1'],
], { payload });

expressionTable('cast under 2015-10-08', [
  ['cast(1 AS Double)', dec(1)], ['cast(true AS Double)', dec(1)], ['cast(10.0 AS String)', '10.0'],
  ['cast(cast(10 AS Double) AS String)', '10.0'], ['cast(2.5 AS Double)', 2.5], ['cast(10.0 AS Int)', 10],
], { payload, version: V1 });

expressionTable('get', [
  ["get(['a', 'b', 'c'], 1)", 'b'], ["get({'a': 'b'}, 'a')", 'b'], ["get('abc', 1)", 'b'], ["get(['a'], 5)", U],
  ["get(['a'], -1)", U], ["get(['a', 'b'], '1')", 'b'], ["get(['a', 'b'], 0.6)", 'b'], ["get({'1': 'x'}, 1)", U],
  ["get(obj, 'a')", 1], ['get(*, "my-key")', 'dash'], ['get(get(get(mydata, "item2"), "0"), "my-key")', 'myValue'],
  ['get(5, 0)', U], ['get(arr, true)', U], ["get(obj, 'toString')", U], ['get(arr)', U],
], { payload });

expressionTable('strings: concat substring', [
  ['concat()', U], ['concat(1)', 1], ["concat('con', 'cat')", 'concat'], ["concat(1, 'hello')", '1hello'],
  ["concat('he', 'is', 'man')", 'heisman'], ['concat([1, 2, 3], 4)', [1, 2, 3, 4]], ["concat([1, 2, 3], 'hello')", [1, 2, 3, 'hello']],
  ["concat([1, 2, 3], 'hello', [4, 5, 6])", [1, 2, 3, 'hello', 4, 5, 6]], ['concat(1, 2)', U], ["concat('a', null)", U],
  ["substring('012345', 0)", '012345'], ["substring('012345', 2)", '2345'], ["substring('012345', 2.745)", '2345'],
  ['substring(123, 2)', '3'], ["substring('012345', -1)", '012345'], ['substring(true, 1.2)', 'rue'],
  ['substring(false, -2.411E247)', 'false'], ["substring('012345', 1, 3)", '12'], ["substring('012345', -50, 50)", '012345'],
  ["substring('012345', 3, 1)", ''], ["substring('abc', 'x')", U], ['substring(null, 1)', U], ["substring('abc')", U],
], { payload });

expressionTable('strings: case, trim, pad, length', [
  ["lower('HELLO')", 'hello'], ["lower(['HELLO'])", '["hello"]'], ["upper('hello')", 'HELLO'], ['upper(1.5)', '1.5'],
  ['lower(null)', U], ['upper(missing)', U],
  ["trim(' hi ')", 'hi'], ["Trim(' hi ')", 'hi'], ["ltrim(' h i ')", 'h i '], ["rtrim(' h i ')", ' h i'], ['trim(tabbed)', 'x'],
  ['trim(5)', '5'], ['trim(null)', U],
  ["lpad('hello', 2)", '  hello'], ['lpad(1, 3)', '   1'], ["rpad('hello', 2)", 'hello  '], ['rpad(1, 3)', '1   '],
  ["lpad('a', 2.9)", '  a'], ["lpad('a', '2')", '  a'], ["lpad('a', -5)", 'a'], ["length(lpad('a', 2000))", 1001],
  ["lpad('a', 'x')", U], ["lpad('a', true)", U], ['lpad(null, 2)', U],
  ["length('hi')", 2], ['length(false)', 5], ["length('€')", 1], ["numbytes('hi')", 2], ["numbytes('€')", 3], ['length(null)', U],
], { payload });

expressionTable('strings: search and replace', [
  ["indexof('abcd', 'bc')", 1], ["indexof('abcd', 'x')", -1], ['indexof(12345, 34)', 2], ["indexof(null, 'a')", U],
  ["startswith('ranger', 'ran')", true], ["startswith('ranger', 'x')", false], ['startswith(123, 12)', true],
  ["startswith(null, 'a')", U], ["endswith('cat', 'at')", true], ["endswith('cat', missing)", U],
  ["replace('abcd', 'bc', 'x')", 'axd'], ["replace('abcdabcd', 'b', 'x')", 'axcdaxcd'], ["replace('a$b', '$', '$$')", 'a$$b'],
  ['replace(123, 2, 9)', '193'], ["replace('a', null, 'x')", U],
  ["regexp_matches('aaaa', 'a{2,}')", true], ["regexp_matches('aaaa', 'b')", false], ["regexp_matches('Hello', '(?i)hello')", true],
  ["regexp_matches('abc', '(')", U], ["regexp_matches(123, '^\\d+$')", true], ["regexp_matches(123, '^\\\\d+$')", true],
  ["regexp_replace('abcd', 'bc', 'x')", 'axd'], ["regexp_replace('abcd', 'b(.*)d', '$1')", 'ac'],
  ["regexp_replace('a.b.c', '\\.', '-')", 'a-b-c'], ["regexp_replace('abc', 'b', '\\$')", 'a$c'], ["regexp_replace('abc', 'b', '$')", U],
  ["regexp_replace('abc', '(', 'x')", U], ["regexp_replace('2024-01', '(?<y>\\d+)-(?<m>\\d+)', '${m}/${y}')", '01/2024'],
  ["regexp_substr('hihihello', 'hi')", 'hi'], ["regexp_substr('hihihello', '(hi)*')", 'hihi'], ["regexp_substr('abc', 'x')", ''],
  ["regexp_substr('abc', '[')", U],
  ['chr(65)', 'A'], ['chr(49)', '1'], ['chr(65.9)', 'A'], ["chr('66')", 'B'], ['chr(128)', U], ['chr(-1)', U], ['chr(true)', U],
], { payload });

expressionTable('predicates', [
  ['isNull(5)', false], ['isNull(null)', true], ['isNull(missing)', false], ['ISNULL(NULL)', true],
  ['isUndefined(5)', false], ['isUndefined(floor([1, 2, 3]))', true], ['isUndefined(null)', false], ['isUndefined(missing)', true],
  ['nanvl(8, 3)', 8], ['nanvl(missing, 3)', 3], ["nanvl(null, 'x')", 'x'], ["nanvl('a', 1)", 'a'], ['nanvl(1)', U],
], { payload });

const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text, 'utf8').digest('hex');

expressionTable('hashing', [
  ["md5('hello')", '5d41402abc4b2a76b9719d911017c592'],
  ["sha1('hello')", 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
  ["sha224('hello')", 'ea09ae9cc6768c50fcee903ed054556e5bfc8347907f12598aa24193'],
  ["sha256('hello')", '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ["sha384('hello')", hex('sha384', 'hello')], ["sha512('hello')", hex('sha512', 'hello')],
  ['md5(5)', hex('md5', '5')], ["sha256('€')", hex('sha256', '€')], ['md5(arr)', hex('md5', '[1,2,3]')], ['md5(null)', U],
  ["md2('hello')", U],
], { payload });

expressionTable('encode and decode', [
  ["encode('hello', 'base64')", 'aGVsbG8='], ["encode(5, 'base64')", 'NQ=='], ["encode({'a': 1}, 'base64')", 'eyJhIjoxfQ=='],
  ["encode('x', 'hex')", U], ["encode(missing, 'base64')", U], ["encode(null, 'base64')", U],
  ["decode('aGVsbG8=', 'base64')", 'hello'], ['decode(encoded_temp, "base64")', { temperature: 33 }],
  ['decode(encoded_temp, "base64").temperature', 33], ["decode('NDI=', 'base64')", 42], ["decode('!!!', 'base64')", null],
  ["decode('aGVsbG8', 'base64')", 'hello'], ["decode('/w==', 'base64')", null], ["decode('a', 'base64')", null],
  ["decode(5, 'base64')", U], ["decode('aGk=', 'hex')", U], ["decode(encode('[1,2]', 'base64'), 'base64')", [1, 2]],
], { payload });

expressionTable('transform', [
  ["transform('enrichArray', {'k': 1}, [{'a': 3}, {'b': 4}])", [{ a: 3, k: 1 }, { b: 4, k: 1 }]],
  ["transform('other', {'k': 1}, [{'a': 3}])", U], ["transform('enrichArray', 1, [{'a': 3}])", U],
  ["transform('enrichArray', {'k': 1}, [1])", U], ["transform('enrichArray', {'k': 1}, [])", []],
], { payload });

expressionTable('message metadata', [
  ['topic()', 'sensors/kitchen/humidity'], ['topic(1)', 'sensors'], ['topic(3)', 'humidity'], ['topic(4)', U], ['topic(0)', U],
  ["topic('2')", 'kitchen'], ['topic(2.0)', 'kitchen'], ['topic(true)', U], ['topic(1, 2)', U],
  ['clientid()', 'n/a'], ['principal()', U], ['accountid()', U], ['traceid()', U], ['timestamp()', 1_500_000_000_000],
  ['sql_version()', '2016-03-23'], ['topic', U],
], { payload });

expressionTable('topic(n) with empty and missing levels', [
  ['topic(1)', ''], ['topic(2)', 'a'], ['topic(3)', ''], ['topic(4)', 'b'], ['topic(5)', ''], ['topic(6)', U], ['topic(1000000)', U], ['topic(-1)', U],
], { payload, extra: { topic: '/a//b/' } });

expressionTable('topic(n) of a one-level topic', [
  ['topic(1)', 'solo'], ['topic(2)', U],
], { payload, extra: { topic: 'solo' } });

expressionTable('message metadata from the context', [
  ['clientid()', 'dev-1'], ['principal()', 'ba67293a'], ['accountid()', '123456789012'], ['traceid()', 'trace-1'],
  ['newuuid()', 'uuid-1'], ['rand()', 0.25], ['rand() < 1', true],
], {
  payload,
  extra: {
    clientId: 'dev-1', principal: 'ba67293a', accountId: '123456789012', traceId: 'trace-1',
    uuid: () => 'uuid-1', random: () => 0.25,
  },
});

test('sql_version() reports the statement version', () => {
  assert.equal(run('sql_version()', {}, V1), '2015-10-08');
});

test('newuuid() and rand() default to crypto.randomUUID and Math.random', () => {
  assert.match(run('newuuid()') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(run('newuuid()'), run('newuuid()'));
  const r = run('rand()') as number;
  assert.ok(r >= 0 && r < 1);
});

test('timestamp() defaults to the evaluation time', () => {
  const before = Date.now();
  const value = run('timestamp()', {}, V2, { timestamp: undefined }) as number;
  assert.ok(value >= before && value <= Date.now());
});

test('the registry lists every function the dialect documents', () => {
  const documented = `abs accountid acos asin atan atan2 aws_lambda bitand bitor bitxor bitnot ceil chr clientid concat cos cosh
    decode encode endswith exp floor get get_dynamodb get_secret get_thing_shadow md2 md5 sha1 sha224 sha256 sha384 sha512
    indexof isnull isundefined length ln log lower lpad ltrim machinelearning_predict mod nanvl newuuid numbytes parse_time
    power principal rand regexp_matches regexp_replace regexp_substr remainder replace round rpad rtrim sign sin sinh substring
    sql_version sqrt startswith tan tanh time_to_epoch timestamp topic traceid transform trim trunc upper`.split(/\s+/);
  assert.deepEqual(documented.filter((name) => !FUNCTIONS.has(name)), []);
});
