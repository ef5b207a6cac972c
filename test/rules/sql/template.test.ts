/**
 * @module test/rules/sql/template — substitution templates `${expression}` and the `$$` escape, rendered
 * against the original message [spec §4.5; DG iot-substitution-templates.md, republish-rule-action.md].
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTemplate, renderTemplate, SqlSyntaxError } from '../../../src/rules/sql/index.js';
import { ctxOf, V1, V2, type PayloadInput } from './helpers.js';

const message = {
  deviceid: 'iot123', temp: 54.98, humidity: 32.43, coords: { latitude: 47.615694, longitude: -122.3359976 },
  thing: 't1', nul: null, b: true, 'my-key': 'k',
};

const rows: readonly (readonly [string, string, PayloadInput?])[] = [
  ['${topic()}/republish', 'sensors/kitchen/humidity/republish'],
  ['$$aws/things/${thing}/shadow/update', '$aws/things/t1/shadow/update'],
  ['$$aws/things/t/shadow/update', '$aws/things/t/shadow/update'],
  ["${parse_time('yyyy', timestamp(), 'UTC')}", '2017'],
  ['${temp}', '54.98'],
  ['${coords}', '{"latitude":47.615694,"longitude":-122.3359976}'],
  ['${coords.latitude},${coords.longitude}', '47.615694,-122.3359976'],
  ['a${missing}b', 'ab'],
  ['${nul}', ''],
  ['${b}', 'true'],
  ['${get(*, "my-key")}', 'k'],
  ["${ {'a': 1}.a }", '1'],
  ["${'}'}", '}'],
  ["${concat(deviceid, '-', upper(thing))}", 'iot123-T1'],
  ['${temp > 50}', 'true'],
  ['${humidity + 1}', '33.43'],
  ["${CASE thing WHEN 't1' THEN 'one' ELSE 'other' END}", 'one'],
  ['cost: $5 and $', 'cost: $5 and $'],
  ['$$$${thing}', '$${thing}'],
  ['', ''],
  ['plain/topic', 'plain/topic'],
  ['device/${device_id}', 'device/', Uint8Array.from([1, 2, 3])],
  ['${encode(*, "base64")}', 'AQID', Uint8Array.from([1, 2, 3])],
  ['${*}', '', Uint8Array.from([1, 2, 3])],
  ['line1\n${thing}', 'line1\nt1'],
];

for (const [template, expected, payload] of rows) {
  test(`template ${JSON.stringify(template)}`, () => {
    assert.equal(renderTemplate(template, ctxOf(payload ?? message), V2), expected);
  });
}

test('a template is compiled once and rendered per message', () => {
  const template = compileTemplate('rooms/${topic(2)}/${value}', V2);
  assert.equal(template.isStatic, false);
  assert.equal(template.render(ctxOf({ value: 1 }, { topic: 'sensors/a/h' })), 'rooms/a/1');
  assert.equal(template.render(ctxOf({ value: 2 }, { topic: 'sensors/b/h' })), 'rooms/b/2');
});

test('a template without expressions is static and never parses the payload', () => {
  const template = compileTemplate('$$aws/x', V2);
  const ctx = ctxOf('{"a":1}');
  assert.equal(template.isStatic, true);
  assert.equal(template.render(ctx), '$aws/x');
  assert.equal(ctx.parsed, undefined);
});

test('templates see the original message, not SELECT aliases', () => {
  assert.equal(renderTemplate('${t}|${temp}', ctxOf(message), V2), '|54.98');
});

test('templates follow the rule SQL version', () => {
  assert.equal(renderTemplate('${7.0 / 2}', ctxOf(), V1), '3.5');
  assert.equal(renderTemplate('${7.0 / 2}', ctxOf(), V2), '3');
  assert.throws(() => compileTemplate("${encode(*, 'base64')}", V1), /Function encode\(\) requires SQL version 2016-03-23/);
});

const errors: readonly (readonly [string, string])[] = [
  ['${}', "Expected an expression but found '}' at line 1, column 3"],
  ['${a', "Expected '}' but found end of input at line 1, column 4"],
  ['x/${a b}', "Expected '}' but found 'b' at line 1, column 7"],
  ['${upper(x}', "Expected ',' or ')' but found '}' at line 1, column 10"],
  ['${nosuch()}', "Unknown function 'nosuch' at line 1, column 3"],
  ["${'open}", 'Unterminated string literal at line 1, column 3'],
  ['a\n${1 +}', "Expected an expression but found '}' at line 2, column 6"],
];

for (const [template, message] of errors) {
  test(`template error ${JSON.stringify(template)}`, () => {
    assert.throws(() => compileTemplate(template, V2), (error: unknown) => {
      assert.ok(error instanceof SqlSyntaxError);
      assert.equal(error.message, message);
      return true;
    });
  });
}
