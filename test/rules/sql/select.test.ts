/**
 * @module test/rules/sql/select — whole statements: SELECT forms and aliases, WHERE, nested SELECT, SQL
 * version differences, non-JSON payloads, context sharing and external functions [spec §4.2, §4.4; DG
 * iot-sql-select.md, iot-sql-where.md, iot-sql-nested-queries.md, binary-payloads.md].
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evaluate, parseSql, serializeOutput, stripBasicIngestPrefix, type EvalContext, type EvalResult, type SqlOutput, type SqlValue,
} from '../../../src/rules/sql/index.js';
import { ctxOf, runSql, toBytes, V1, V2, type PayloadInput } from './helpers.js';

const NO_MATCH: EvalResult = { matched: false };
const matched = (output: SqlOutput): EvalResult => ({ matched: true, output });

const reading = { color: 'red', temperature: 50 };
const senml = {
  e: [
    { n: 'temperature', u: 'Cel', t: 1234, v: 22.5 },
    { n: 'light', u: 'lm', t: 1235, v: 135 },
    { n: 'acidity', u: 'pH', t: 1235, v: 7 },
  ],
};

const cases: readonly (readonly [string, string, PayloadInput, EvalResult])[] = [
  ['SELECT * passes the payload', "SELECT * FROM 'topic/subtopic'", reading, matched(reading)],
  ['a field', "SELECT color FROM 'topic/subtopic'", reading, matched({ color: 'red' })],
  ['AS renames', "SELECT color AS my_color FROM 'topic/subtopic'", reading, matched({ my_color: 'red' })],
  ['several items', "SELECT color as my_color, temperature as fahrenheit FROM 't'", reading, matched({ my_color: 'red', fahrenheit: 50 })],
  ['*, extras add keys', "SELECT *, 15 as speed FROM 't'", reading, matched({ color: 'red', temperature: 50, speed: 15 })],
  ['an alias overrides a * key', "SELECT *, 'blue' AS color FROM 't'", reading, matched({ color: 'blue', temperature: 50 })],
  ['VALUE', "SELECT VALUE color FROM 't'", reading, matched('red')],
  ['nested attribute', "SELECT color.red as red_value FROM 't'", { color: { red: 255, green: 0 } }, matched({ red_value: 255 })],
  ['arithmetic and functions', "SELECT (temperature - 32) * 5 / 9 AS celsius, upper(color) as my_color FROM 't'", reading,
    matched({ celsius: 10, my_color: 'RED' })],
  ['dotted alias nests', "SELECT foo.bar AS bar.baz FROM 't'", { foo: { bar: 'RED' } }, matched({ bar: { baz: 'RED' } })],
  ['dotted aliases merge', "SELECT 1 AS a.b, 2 AS a.c, 3 AS a.d.e FROM 't'", {}, matched({ a: { b: 1, c: 2, d: { e: 3 } } })],
  ['dotted alias extends a * object', "SELECT *, 1 AS foo.extra FROM 't'", { foo: { bar: 'RED' } },
    matched({ foo: { bar: 'RED', extra: 1 } })],
  ['keyword alias', "SELECT color AS value FROM 't'", reading, matched({ value: 'red' })],
  ['a payload key named value', "SELECT VALUE value * 2 FROM 't' WHERE value > 1", { value: 3 }, matched(6)],
  ['unaliased attribute keeps its own name', "SELECT color.red FROM 't'", { color: { red: 255 } }, matched({ red: 255 })],
  ['unaliased function uses its name', "SELECT topic(), clientid() FROM 't'", {}, matched({ topic: 'sensors/kitchen/humidity', clientid: 'n/a' })],
  ['unaliased expressions are positional', "SELECT 1 + 1, 'x', color FROM 't'", reading, matched({ _1: 2, _2: 'x', color: 'red' })],
  ['unaliased index uses the array name', "SELECT arr[0] FROM 't'", { arr: [7] }, matched({ arr: 7 })],
  ['Undefined keys are omitted', "SELECT missing, color, get(color, 9) AS g FROM 't'", reading, matched({ color: 'red' })],
  ['all Undefined gives {}', "SELECT missing FROM 't'", reading, matched({})],
  ['Null is kept', "SELECT NULL AS n FROM 'topic/subtopic'", {}, matched({ n: null })],
  ['VALUE array', "SELECT VALUE arr FROM 'topic'", { a: { b: 'c' }, arr: [1, 2, 3, 4] }, matched([1, 2, 3, 4])],
  ['VALUE of Undefined is the empty payload', "SELECT VALUE missing FROM 't'", reading, matched(new Uint8Array(0))],
  ['VALUE *', "SELECT VALUE * FROM 't'", reading, matched(reading)],
  ['VALUE literal object', "SELECT VALUE {'c': color} FROM 't'", reading, matched({ c: 'red' })],
  ['FROM is optional (Basic Ingest)', 'SELECT color', reading, matched({ color: 'red' })],
  ['WHERE true matches', "SELECT color AS rgb FROM 't' WHERE temperature > 40", reading, matched({ rgb: 'red' })],
  ['WHERE false does not', "SELECT color AS my_color FROM 't' WHERE temperature > 50 AND color <> 'red'", reading, NO_MATCH],
  ['WHERE Undefined does not', "SELECT * FROM 't' WHERE missing > 1", reading, NO_MATCH],
  ['WHERE "true" string matches', "SELECT color FROM 't' WHERE 'TRUE'", reading, matched({ color: 'red' })],
  ['WHERE a number does not', "SELECT color FROM 't' WHERE 1", reading, NO_MATCH],
  ['WHERE cannot see aliases', "SELECT temperature AS t FROM 'x' WHERE t > 1", reading, NO_MATCH],
  ['WHERE without FROM', "SELECT color WHERE temperature = 50", reading, matched({ color: 'red' })],
  ['nested SELECT VALUE', "SELECT (SELECT VALUE n FROM e) as sensors FROM 'my/topic'", senml,
    matched({ sensors: ['temperature', 'light', 'acidity'] })],
  ['nested SELECT with WHERE', "SELECT (SELECT v FROM e WHERE n = 'temperature') as temperature FROM 'my/topic'", senml,
    matched({ temperature: [{ v: 22.5 }] })],
  ['flattened nested SELECT', "SELECT get((SELECT v FROM e WHERE n = 'temperature'), 0).v as temperature FROM 'topic'", senml,
    matched({ temperature: 22.5 })],
  ['nested SELECT *', "SELECT (SELECT * FROM e WHERE v > 100) AS big FROM 't'", senml, matched({ big: [{ n: 'light', u: 'lm', t: 1235, v: 135 }] })],
  ['nested SELECT several items and aliases', "SELECT (SELECT n AS name, v * 2 AS twice FROM e WHERE t = 1235) AS x FROM 't'", senml,
    matched({ x: [{ name: 'light', twice: 270 }, { name: 'acidity', twice: 14 }] })],
  ['nested SELECT drops Undefined values', "SELECT (SELECT VALUE u FROM e) AS units FROM 't'", { e: [{ u: 'a' }, {}, { u: 'b' }] },
    matched({ units: ['a', 'b'] })],
  ['nested SELECT over an object', "SELECT VALUE transform('enrichArray', (select a, b from data2), (select value c from data2)) FROM 'A/B'",
    { data1: 'x', data2: { a: 'first', b: 'second', c: [{ y: true }, { y: false }] } },
    matched([{ y: true, a: 'first', b: 'second' }, { y: false, a: 'first', b: 'second' }])],
  ['nested SELECT over a scalar is Undefined', "SELECT (SELECT VALUE x FROM s) AS r FROM 't'", { s: 'abc' }, matched({})],
  ['nested SELECT in WHERE', "SELECT VALUE 'hot' FROM 't' WHERE get((SELECT VALUE v FROM e WHERE n = 'temperature'), 0) > 20", senml,
    matched('hot')],
  ['array literal', "SELECT [lat, long] as lat_long FROM 'topic/subtopic'", { lat: 47.696, long: -122.332 },
    matched({ lat_long: [47.696, -122.332] })],
  ['object literal', "SELECT {'latitude': get(lat_long, 0), 'longitude': get(lat_long, 1)} as lat_long FROM 't'",
    { lat_long: [47.606, -122.332] }, matched({ lat_long: { latitude: 47.606, longitude: -122.332 } })],
  ['CASE in SELECT', "SELECT CASE color WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' ELSE 'stop' END as instructions FROM 't'",
    { color: 'yellow' }, matched({ instructions: 'caution' })],
  ['JSON array payload: SELECT *', "SELECT * FROM 't'", [1, 2], matched([1, 2])],
  ['JSON array payload: fields are Undefined', "SELECT a, get(*, 1) AS second FROM 't'", [1, 2], matched({ second: 2 })],
];

for (const [title, sql, payload, expected] of cases) {
  test(`SELECT: ${title}`, () => assert.deepStrictEqual(runSql(sql, payload, V2), expected));
}

const binary = Uint8Array.from([0x00, 0xff, 0x10, 0x42]);

const binaryCases: readonly (readonly [string, string, PayloadInput, EvalResult])[] = [
  ['SELECT * passes bytes through', "SELECT * FROM 'topic/subtopic'", binary, matched(binary)],
  ['WHERE on functions', "SELECT * FROM 't' WHERE timestamp() % 12 = 0", binary, matched(binary)],
  ['fields are Undefined', "SELECT * FROM 't' WHERE device_type = 'thermostat'", binary, NO_MATCH],
  ['extras without the bytes', "SELECT *, principal() as principal, timestamp() as time FROM 't'", binary,
    matched({ principal: 'cert-1', time: 1_500_000_000_000 })],
  ['encode(*)', "SELECT encode(*, 'base64') AS data, timestamp() AS ts FROM 't'", binary,
    matched({ data: 'AP8QQg==', ts: 1_500_000_000_000 })],
  ['a JSON scalar is not a JSON payload', "SELECT * FROM 't'", '80', matched(Buffer.from('80'))],
  ['decode(encode(*)) reads a scalar payload', "SELECT decode(encode(*, 'base64'), 'base64') AS value FROM 't' WHERE decode(encode(*, 'base64'), 'base64') > 50",
    '80', matched({ value: 80 })],
  ['text is not JSON', "SELECT VALUE * FROM 't'", 'hello', matched(Buffer.from('hello'))],
  ['broken JSON is bytes', "SELECT *, 1 AS x FROM 't'", '{"a":', matched({ x: 1 })],
  ['empty payload plus data', "SELECT *, 1 AS x FROM 't'", '', matched({ x: 1 })],
  ['encode(*) of JSON encodes the raw text', "SELECT encode(*, 'base64') AS data FROM 't'", '{ "a" : 1 }',
    matched({ data: Buffer.from('{ "a" : 1 }').toString('base64') })],
  ['a field of a JSON payload with leading space', "SELECT a FROM 't'", '\n  {"a": 1}', matched({ a: 1 })],
];

for (const [title, sql, payload, expected] of binaryCases) {
  test(`non-JSON payload: ${title}`, () => assert.deepStrictEqual(runSql(sql, payload, V2, { principal: 'cert-1', timestamp: 1_500_000_000_000 }), expected));
}

const versionCases: readonly (readonly [string, string, SqlValue, SqlValue])[] = [
  ['whole Decimal division', "SELECT 7.0 / 2 AS q FROM 't'", { q: 3.5 }, { q: 3 }],
  ['whole Decimal as a string', "SELECT cast(10.0 AS String) AS s FROM 't'", { s: '10.0' }, { s: '10' }],
  ['sql_version()', "SELECT sql_version() AS v FROM 't'", { v: '2015-10-08' }, { v: '2016-03-23' }],
  ['Decimal results are numbers in the output', "SELECT 2.5 * 2 AS d, cast(1 AS Double) AS one FROM 't'", { d: 5, one: 1 }, { d: 5, one: 1 }],
  ['nested outputs are unwrapped too', "SELECT 2.5 * 2 AS a.b FROM 't'", { a: { b: 5 } }, { a: { b: 5 } }],
];

for (const [title, sql, v1, v2] of versionCases) {
  test(`SQL versions: ${title}`, () => {
    assert.deepStrictEqual(runSql(sql, {}, V1), matched(v1 as SqlOutput));
    assert.deepStrictEqual(runSql(sql, {}, V2), matched(v2 as SqlOutput));
  });
}

test('WHERE runs before SELECT, and SELECT is skipped when it fails', () => {
  let calls = 0;
  const uuid = (): string => `id-${++calls}`;
  assert.deepStrictEqual(runSql("SELECT newuuid() AS id FROM 't' WHERE false", {}, V2, { uuid }), NO_MATCH);
  assert.equal(calls, 0);
  assert.deepStrictEqual(runSql("SELECT newuuid() AS id FROM 't' WHERE true", {}, V2, { uuid }), matched({ id: 'id-1' }));
});

test('a dotted alias over * copies, never mutating the parsed payload', () => {
  const ctx = ctxOf({ foo: { bar: 1 } });
  evaluate(parseSql("SELECT *, 2 AS foo.baz FROM 't'", V2), ctx);
  assert.deepStrictEqual(ctx.parsed, { foo: { bar: 1 } });
});

test('the payload is parsed once per context and shared by every rule', () => {
  const ctx = ctxOf({ humidity: 80 });
  const rules = ['SELECT humidity FROM \'a\' WHERE humidity > 70', 'SELECT VALUE humidity + 1 FROM \'a\''].map((sql) => parseSql(sql, V2));
  assert.deepStrictEqual(evaluate(rules[0]!, ctx), matched({ humidity: 80 }));
  const parsed = ctx.parsed;
  assert.deepStrictEqual(evaluate(rules[1]!, ctx), matched(81));
  assert.equal(ctx.parsed, parsed);
});

test('a caller-supplied parsed payload is used as is', () => {
  const ctx: EvalContext = { payload: Buffer.from('not json'), parsed: { humidity: 99 }, topic: 'a' };
  assert.deepStrictEqual(evaluate(parseSql('SELECT humidity FROM \'a\'', V2), ctx), matched({ humidity: 99 }));
});

test('a statement evaluates many messages with one compilation', () => {
  const rule = parseSql("SELECT humidity, topic(2) AS room FROM 'sensors/+/humidity' WHERE humidity > 70", V2);
  const results = [75, 60].map((humidity, i) =>
    evaluate(rule, { payload: toBytes({ humidity }), topic: `sensors/room${i}/humidity` }));
  assert.deepStrictEqual(results, [matched({ humidity: 75, room: 'room0' }), NO_MATCH]);
});

test('external functions go through the context hook', () => {
  const calls: unknown[] = [];
  const externals = (name: string, args: readonly SqlValue[]): SqlValue => {
    calls.push([name, ...args]);
    return name === 'get_thing_shadow' ? { state: { reported: { alarm: 'ON' } } } : undefined;
  };
  const sql = "SELECT * from 'topic/subtopic' WHERE get_thing_shadow(\"MyThing\", \"arn:aws:iam::1:role/r\").state.reported.alarm = 'ON'";
  const rule = parseSql(sql, V2);
  assert.deepStrictEqual(rule.externals, ['get_thing_shadow']);
  assert.deepStrictEqual(evaluate(rule, ctxOf(reading, { externals })), matched(reading));
  assert.deepStrictEqual(calls, [['get_thing_shadow', 'MyThing', 'arn:aws:iam::1:role/r']]);
  assert.deepStrictEqual(evaluate(rule, ctxOf(reading)), NO_MATCH, 'without a hook the shadow is Undefined');
});

test('external functions with the wrong number of arguments never reach the hook', () => {
  let called = false;
  const result = runSql("SELECT aws_lambda('arn') AS out FROM 't'", {}, V2, { externals: () => { called = true; return 1; } });
  assert.deepStrictEqual(result, matched({}));
  assert.equal(called, false);
});

test('the statement exposes its topic filter and version', () => {
  const rule = parseSql("SELECT * FROM '$aws/things/+/shadow/update/accepted'");
  assert.equal(rule.topicFilter, '$aws/things/+/shadow/update/accepted');
  assert.equal(rule.version, '2015-10-08');
  assert.equal(parseSql('SELECT *').topicFilter, undefined);
});

test('stripBasicIngestPrefix hides $aws/rules/<rule>/ from topic()', () => {
  const stripped = stripBasicIngestPrefix('$aws/rules/BuildingManager/Buildings/Building5/Floor2/Room201/Lights');
  assert.deepStrictEqual(stripped, { ruleName: 'BuildingManager', topic: 'Buildings/Building5/Floor2/Room201/Lights' });
  assert.deepStrictEqual(stripBasicIngestPrefix('a/b'), { ruleName: undefined, topic: 'a/b' });
  const result = runSql("SELECT topic() AS t, topic(3) AS floor FROM 'x'", {}, V2, { topic: stripped.topic });
  assert.deepStrictEqual(result, matched({ t: 'Buildings/Building5/Floor2/Room201/Lights', floor: 'Floor2' }));
});

test('serializeOutput writes JSON text or passes bytes', () => {
  assert.equal(Buffer.from(serializeOutput({ a: [1, 'x'] })).toString(), '{"a":[1,"x"]}');
  assert.equal(serializeOutput(binary), binary);
  assert.equal(Buffer.from(serializeOutput('red')).toString(), '"red"');
});
