/**
 * @module test/streams/delivery/jq.test — hako's jq subset for MetadataExtractionQuery, table-driven:
 * queries with their input and jq 1.6's output (each expected value was checked against the jq 1.6
 * binary), runtime errors with jq 1.6's messages, number printing, and the refusals that name the
 * unsupported construct.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExtractionQuery, JqRuntimeError, JqSyntaxError, type JsonValue } from '../../../src/streams/delivery/jq/index.js';
import { evaluate, numberText } from '../../../src/streams/delivery/jq/evaluate.js';
import { parseQuery } from '../../../src/streams/delivery/jq/parser.js';

const run = (query: string, input: JsonValue): JsonValue => evaluate(parseQuery(query), input);
/** 2019-08-09T20:20:27Z, the event_timestamp of AWS's dynamic partitioning example. */
const TS = 1565382027;

describe('jq subset: evaluation (outputs as jq 1.6 prints them)', () => {
  const cases: Array<[string, JsonValue, JsonValue]> = [
    ['{customer_id:.customer_id}', { customer_id: '1234567890' }, { customer_id: '1234567890' }],
    ['{device:.type.device}', { type: { device: 'mobile' } }, { device: 'mobile' }],
    ['{year:.ts|strftime("%Y"), month:.ts|strftime("%m"), day:.ts|strftime("%d"), hour:.ts|strftime("%H")}', { ts: TS }, { year: '2019', month: '08', day: '09', hour: '20' }],
    ['{d:.ts|todate}', { ts: TS }, { d: '2019-08-09T20:20:27Z' }],
    ['{y:.ts|strftime("%Y-%m-%dT%H:%M:%SZ %j %a %b %e %I %p %s %C %D %F %k %l %R %r %T %u %w %y %z %h %A %B %%")}', { ts: TS + 0.9 }, { y: '2019-08-09T20:20:27Z 221 Fri Aug  9 08 PM 1565382027 20 08/09/19 2019-08-09 20  8 20:20 08:20:27 PM 20:20:27 5 5 19 +0000 Aug Friday August %' }],
    ['{y:.ts|strftime("%Y-%m-%d %H:%M:%S")}', { ts: [2019, 7, 9, 20, 20, 27.5, 5, 220] }, { y: '2019-08-09 20:20:27' }],
    ['{a:.items[-1], b:.items[5], c:.items[0], d:.["items"][1], e:."items"[2]}', { items: [1, 2, 3] }, { a: 3, b: null, c: 1, d: 2, e: 3 }],
    ['{a:.missing.deeper, b:.[0]}', null, { a: null, b: null }],
    ['{customer_id, "k y"}', { customer_id: 'c', 'k y': 2 }, { customer_id: 'c', 'k y': 2 }],
    ['{a:.n|tostring, b:.o|tostring, c:.b|tostring, d:.big|tostring, e:.f|tostring, g:.i|tostring, h:.s|tostring}', { n: 1.5, o: { a: 1 }, b: true, big: 1e17, f: 0.1, i: 1e20, s: 'x' }, { a: '1.5', b: '{"a":1}', c: 'true', d: '1e+17', e: '0.1', g: '1e+20', h: 'x' }],
    ['{a:.x|tonumber, b:.y|tonumber, c:.z|tonumber, d:.n|tonumber}', { x: ' 12 ', y: '1e3', z: '-0.5', n: 7 }, { a: 12, b: 1000, c: -0.5, d: 7 }],
    ['{a:(.x // "none"), b:(.f // "none"), c:(.zero // "none"), d:(.q // .r // "last")}', { f: false, zero: 0 }, { a: 'none', b: 'none', c: 0, d: 'last' }],
    ['{a:.a|ascii_downcase, b:.a|ascii_upcase, c:"const", d:1, e:true, f:null, g:(.a|ascii_downcase|ascii_upcase)}', { a: 'AbC-é' }, { a: 'abc-é', b: 'ABC-é', c: 'const', d: 1, e: true, f: null, g: 'ABC-é' }],
    ['{x: .a[0] | tostring}', { a: [1] }, { x: '1' }],
    ['{x: (.a | .b)}', { a: { b: 'nested' } }, { x: 'nested' }],
    ['{"quoted key": .v, if: .w}  # a comment', { v: 1, w: 2 }, { 'quoted key': 1, if: 2 }],
    ['{s: "tab\\there \\u00e9 \\"q\\""}', {}, { s: 'tab\there é "q"' }],
    ['{}', { a: 1 }, {}],
  ];
  for (const [query, input, expected] of cases) it(`${query} on ${JSON.stringify(input)}`, () => assert.deepEqual(run(query, input), expected));
});

describe('jq subset: runtime errors (jq 1.6 wording)', () => {
  const cases: Array<[string, JsonValue, RegExp]> = [
    ['{a:.x.y}', { x: 1 }, /^Cannot index number with string "y"$/],
    ['{a:.x[0]}', { x: {} }, /^Cannot index object with number$/],
    ['{a:(.x.y.z // "d")}', { x: { y: 1 } }, /^Cannot index number with string "z"$/], // jq 1.6 does not suppress it
    ['{a:.s|tonumber}', { s: '12abc' }, /^Invalid numeric literal .*\(while parsing '12abc'\)$/],
    ['{a:.s|tonumber}', { s: [1] }, /cannot be parsed as a number/],
    ['{a:.s|strftime("%Y")}', { s: '2019' }, /^strftime\/1 requires parsed datetime inputs$/],
    ['{a:.s|ascii_downcase}', { s: 1 }, /^explode input must be a string$/],
  ];
  for (const [query, input, message] of cases) it(`${query} on ${JSON.stringify(input)}`, () => assert.throws(() => run(query, input), (error: unknown) => error instanceof JqRuntimeError && message.test(error.message)));
});

describe('jq subset: numbers printed as jq 1.6 prints them', () => {
  const cases: Array<[number, string]> = [
    [1000000, '1000000'], [1e15, '1000000000000000'], [1e16, '1e+16'], [1e17, '1e+17'], [12345678901234567, '12345678901234568'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [-2500000, '-2500000'], [3.0, '3'], [123.456, '123.456'],
    [-0.00012, '-0.00012'], [5e-324, '5e-324'], [Infinity, '1.7976931348623157e+308'], [-0, '-0'], [NaN, 'null'],
  ];
  for (const [n, text] of cases) it(`${n} → ${text}`, () => assert.equal(numberText(n), text));
});

describe('jq subset: what is refused, by name', () => {
  const cases: Array<[string, RegExp]> = [
    ['{a: .a, b: (.b, .c)}', /',' \(multiple outputs\) at position 14/],
    ['{a: .a[]}', /'\[\]' \(iteration\)/],
    ['{a: .a[1:2]}', /slices and computed indices are not supported/],
    ['{a: ..}', /'\.\.' \(recursive descent\)/],
    ['{a: .a?}', /'\?' \(error suppression; use '\/\/' for a fallback\)/],
    ['{a: [.a]}', /array construction/],
    ['{a: (.a + 1)}', /the operator '\+' at position 8 is not supported/],
    ['{a: (.a == 1)}', /the operator '==' .* not supported/],
    ['{a: (if .a then 1 else 2 end)}', /conditionals \(if … then … end\)/],
    ['{a: $x}', /variables \('\$x'\)/],
    ['{a: .a|@base64}', /format strings \('@base64'\)/],
    ['{a: "\\(.a)"}', /string interpolation/],
    ['{a: .a|select(.b)}', /function 'select\/1'/],
    ['{a: .a|split("-"; "g")}', /function 'split\/2'/],
    ['{a: .a|length}', /function 'length\/0'/],
    ['{a: .x // "d"}', /not allowed in an object value in jq 1\.6: wrap it in parentheses/],
    ['{a: (.a and .b)}', /the 'and' operator/],
    ['{a: (reduce .[] as $x (0; . + $x))}', /reduce/],
    ['def f: .; {a: f}', /function definitions \(def\)/],
    ['{(.k): 1}', /computed object keys/],
    ['{a: .t|strftime(.f)}', /strftime's argument .* must be a string literal/],
    ['{a: .t|strftime("%c")}', /strftime conversion '%c' .* not supported/],
    ['{a: .a', /the query ends where ',' or '}' was expected/],
    ['{a: -1}', /the operator '-'/],
  ];
  for (const [query, message] of cases) it(`${query}`, () => assert.throws(() => parseQuery(query), (error: unknown) => error instanceof JqSyntaxError && message.test(error.message)));
});

describe('MetadataExtractionQuery: compiled to partition keys', () => {
  it('the keys are the object construction\'s, values as text: strings as is, numbers and booleans as tostring', () => {
    const query = compileExtractionQuery('{customer_id:.customer_id, year:.ts|strftime("%Y"), n:.n, ok:.ok}');
    assert.deepEqual(query.keys, ['customer_id', 'year', 'n', 'ok']);
    assert.deepEqual(query.extract({ customer_id: 'c-1', ts: TS, n: 1e20, ok: true }), { customer_id: 'c-1', year: '2019', n: '1e+20', ok: 'true' });
  });

  it('a null or missing key, or an object value, is an error for that record', () => {
    const query = compileExtractionQuery('{customer_id:.customer_id}');
    assert.throws(() => query.extract({}), /partition key 'customer_id' is null/);
    assert.throws(() => query.extract({ customer_id: { a: 1 } }), /is an object, not a string or number/);
    assert.throws(() => query.extract('not an object'), /Cannot index string with string "customer_id"/);
  });

  it('the query must be an object construction with distinct keys', () => {
    assert.throws(() => compileExtractionQuery('.customer_id'), /must be an object construction/);
    assert.throws(() => compileExtractionQuery('{a: .x, a: .y}'), /'a' is defined twice/);
  });
});
