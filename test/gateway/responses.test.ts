/**
 * @module test/gateway/responses.test — mapping what the function returned to the HTTP answer (spec §8.4; AWS
 * "http-api-develop-integrations-lambda" response formats, "set-up-lambda-proxy-integrations" output format).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapResponseV1, mapResponseV2, type MappedResponse } from '../../src/gateway/index.js';

type Expected = { status: number; headers: [string, string][]; body: string | Buffer } | { malformed: RegExp };

function check(actual: MappedResponse, expected: Expected): void {
  if ('malformed' in expected) {
    assert.equal(actual.kind, 'malformed', `expected malformed, got ${JSON.stringify(actual)}`);
    assert.match(actual.kind === 'malformed' ? actual.reason : '', expected.malformed);
    return;
  }
  assert.equal(actual.kind, 'response', actual.kind === 'malformed' ? actual.reason : '');
  if (actual.kind !== 'response') return;
  const body = typeof expected.body === 'string' ? Buffer.from(expected.body, 'utf8') : expected.body;
  assert.deepEqual([actual.status, actual.headers, actual.body], [expected.status, expected.headers, body]);
}

const json = (value: unknown): string => JSON.stringify(value);
const JSON_TYPE: [string, string] = ['content-type', 'application/json'];

/** Payload 2.0: [name, raw payload, expected]. */
const v2: [string, string, Expected][] = [
  ['documented simple string', json('Hello from Lambda!'), { status: 200, headers: [JSON_TYPE], body: 'Hello from Lambda!' }],
  ['documented simple object, JSON text kept as sent', '{ "message": "Hello from Lambda!" }', { status: 200, headers: [JSON_TYPE], body: '{ "message": "Hello from Lambda!" }' }],
  ['simple object with body but no statusCode is still simple', json({ body: 'x', headers: { a: 'b' } }), { status: 200, headers: [JSON_TYPE], body: '{"body":"x","headers":{"a":"b"}}' }],
  ['simple array', '[1,2]', { status: 200, headers: [JSON_TYPE], body: '[1,2]' }],
  ['simple number', '42', { status: 200, headers: [JSON_TYPE], body: '42' }],
  ['simple null (handler returned nothing)', 'null', { status: 200, headers: [JSON_TYPE], body: 'null' }],
  ['simple empty string', '""', { status: 200, headers: [JSON_TYPE], body: '' }],
  ['structured, documented fields', json({ cookies: ['cookie1', 'cookie2'], isBase64Encoded: false, statusCode: 201, headers: { 'X-H': 'v' }, body: 'Hello from Lambda!' }),
    { status: 201, headers: [['X-H', 'v'], ['set-cookie', 'cookie1'], ['set-cookie', 'cookie2']], body: 'Hello from Lambda!' }],
  ['structured cookies with attributes stay whole', json({ statusCode: 200, cookies: ['a=b; Path=/; HttpOnly', 'c=d; Expires=Wed, 21 Oct 2015 07:28:00 GMT'] }),
    { status: 200, headers: [['set-cookie', 'a=b; Path=/; HttpOnly'], ['set-cookie', 'c=d; Expires=Wed, 21 Oct 2015 07:28:00 GMT']], body: '' }],
  ['structured with no body or headers', json({ statusCode: 204 }), { status: 204, headers: [], body: '' }],
  ['structured with null body and cookies', json({ statusCode: 200, body: null, cookies: null, headers: null }), { status: 200, headers: [], body: '' }],
  ['structured base64 body', json({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: 'AAEC/w==', isBase64Encoded: true }),
    { status: 200, headers: [['content-type', 'image/png']], body: Buffer.from([0, 1, 2, 255]) }],
  ['structured base64 body without padding', json({ statusCode: 200, body: 'AAEC/w', isBase64Encoded: true }), { status: 200, headers: [], body: Buffer.from([0, 1, 2, 255]) }],
  ['structured numeric-string status tolerated', json({ statusCode: '404', body: 'nope' }), { status: 404, headers: [], body: 'nope' }],
  ['structured number and boolean header values stringified', json({ statusCode: 200, headers: { 'x-n': 1, 'x-b': false } }), { status: 200, headers: [['x-n', '1'], ['x-b', 'false']], body: '' }],
  ['structured multiValueHeaders merged, multi wins', json({ statusCode: 200, headers: { 'X-A': '1', 'x-b': '2' }, multiValueHeaders: { 'x-a': ['3', '4'] } }),
    { status: 200, headers: [['x-b', '2'], ['x-a', '3'], ['x-a', '4']], body: '' }],
  ['structured unknown keys ignored', json({ statusCode: 200, body: 'ok', extra: true }), { status: 200, headers: [], body: 'ok' }],
  ['structured body keeps UTF-8', json({ statusCode: 200, body: 'héllo €' }), { status: 200, headers: [], body: 'héllo €' }],
  ['not JSON', 'Hello', { malformed: /not valid JSON/ }],
  ['empty payload', '', { malformed: /not valid JSON/ }],
  ['status not an integer', json({ statusCode: 200.5 }), { malformed: /'statusCode' 200.5 is not an integer HTTP status/ }],
  ['status out of range', json({ statusCode: 99 }), { malformed: /'statusCode' 99/ }],
  ['status 600', json({ statusCode: 600 }), { malformed: /'statusCode' 600/ }],
  ['status a word', json({ statusCode: 'OK' }), { malformed: /'statusCode' "OK"/ }],
  ['status null', json({ statusCode: null }), { malformed: /'statusCode' null/ }],
  ['body an object', json({ statusCode: 200, body: { a: 1 } }), { malformed: /'body' is a object, not a string/ }],
  ['body a number', json({ statusCode: 200, body: 5 }), { malformed: /'body' is a number/ }],
  ['body an array', json({ statusCode: 200, body: [] }), { malformed: /'body' is a array/ }],
  ['cookies not an array', json({ statusCode: 200, cookies: 'a=b' }), { malformed: /'cookies' is not an array of strings/ }],
  ['cookies holding a number', json({ statusCode: 200, cookies: ['a=b', 1] }), { malformed: /'cookies' is not an array of strings/ }],
  ['headers an array', json({ statusCode: 200, headers: ['a'] }), { malformed: /'headers' is not an object/ }],
  ['header value an object', json({ statusCode: 200, headers: { a: { b: 1 } } }), { malformed: /'headers.a' is a object/ }],
  ['header value null', json({ statusCode: 200, headers: { a: null } }), { malformed: /'headers.a' is a null/ }],
  ['isBase64Encoded a string', json({ statusCode: 200, body: 'x', isBase64Encoded: 'true' }), { malformed: /'isBase64Encoded' is not a boolean/ }],
  ['base64 body not base64', json({ statusCode: 200, body: 'not base64!', isBase64Encoded: true }), { malformed: /not valid base64/ }],
];

for (const [name, payload, expected] of v2) {
  test(`mapResponseV2: ${name}`, () => {
    check(mapResponseV2(payload), expected);
    check(mapResponseV2(Buffer.from(payload, 'utf8')), expected);
  });
}

/** Payload 1.0: [name, flavor, raw payload, expected]. */
const v1: [string, 'rest' | 'http', string, Expected][] = [
  ['documented fields', 'rest', json({ isBase64Encoded: false, statusCode: 200, headers: { my_header: 'my_value' }, multiValueHeaders: { 'X-M': ['a', 'b'] }, body: '{"k":"v"}' }),
    { status: 200, headers: [['my_header', 'my_value'], ['X-M', 'a'], ['X-M', 'b']], body: '{"k":"v"}' }],
  ['multiValueHeaders win over headers, case-insensitively', 'rest', json({ statusCode: 200, headers: { 'Set-Cookie': 'x=1', Vary: 'a' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } }),
    { status: 200, headers: [['Vary', 'a'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']], body: '' }],
  ['an empty multi-value list removes the header', 'rest', json({ statusCode: 200, headers: { 'x-a': '1' }, multiValueHeaders: { 'x-a': [] } }), { status: 200, headers: [], body: '' }],
  ['only statusCode', 'rest', json({ statusCode: 302 }), { status: 302, headers: [], body: '' }],
  ['nulls everywhere but statusCode', 'rest', json({ statusCode: 200, headers: null, multiValueHeaders: null, body: null, isBase64Encoded: null }), { status: 200, headers: [], body: '' }],
  ['numeric-string status tolerated', 'rest', json({ statusCode: '500' }), { status: 500, headers: [], body: '' }],
  ['base64 body decoded', 'rest', json({ statusCode: 200, body: 'aGk=', isBase64Encoded: true }), { status: 200, headers: [], body: 'hi' }],
  ['header values stringified', 'http', json({ statusCode: 200, multiValueHeaders: { 'x-n': [1, true] } }), { status: 200, headers: [['x-n', '1'], ['x-n', 'true']], body: '' }],
  ['HTTP API 1.0 ignores unknown keys', 'http', json({ statusCode: 200, body: 'ok', cookies: ['a=b'] }), { status: 200, headers: [], body: 'ok' }],
  ['missing statusCode', 'rest', json({ body: 'x' }), { malformed: /no 'statusCode'/ }],
  ['missing statusCode (HTTP API 1.0)', 'http', json({ headers: {} }), { malformed: /no 'statusCode'/ }],
  ['REST rejects unknown keys', 'rest', json({ statusCode: 200, body: 'ok', cookies: ['a=b'], extra: 1 }), { malformed: /unexpected field\(s\) 'cookies', 'extra'/ }],
  ['a plain string result', 'rest', json('Hello'), { malformed: /not a JSON object/ }],
  ['an array result', 'http', '[]', { malformed: /not a JSON object/ }],
  ['null result', 'rest', 'null', { malformed: /not a JSON object/ }],
  ['non-JSON output', 'rest', '<html>', { malformed: /not valid JSON/ }],
  ['non-integer status', 'rest', json({ statusCode: 2e2 + 0.1 }), { malformed: /'statusCode'/ }],
  ['status as padded string', 'rest', json({ statusCode: ' 200' }), { malformed: /'statusCode' " 200"/ }],
  ['body not a string', 'rest', json({ statusCode: 200, body: { a: 1 } }), { malformed: /'body' is a object/ }],
  ['body a boolean', 'http', json({ statusCode: 200, body: true }), { malformed: /'body' is a boolean/ }],
  ['multiValueHeaders value not a list', 'rest', json({ statusCode: 200, multiValueHeaders: { a: 'b' } }), { malformed: /'multiValueHeaders.a' is not an array/ }],
  ['multiValueHeaders holding null', 'rest', json({ statusCode: 200, multiValueHeaders: { a: ['b', null] } }), { malformed: /'multiValueHeaders.a' holds a null/ }],
  ['multiValueHeaders an array', 'rest', json({ statusCode: 200, multiValueHeaders: [] }), { malformed: /'multiValueHeaders' is not an object/ }],
  ['isBase64Encoded a number', 'rest', json({ statusCode: 200, isBase64Encoded: 1 }), { malformed: /'isBase64Encoded' is not a boolean/ }],
  ['base64 body with a stray character', 'rest', json({ statusCode: 200, body: 'aGk=x', isBase64Encoded: true }), { malformed: /not valid base64/ }],
];

for (const [name, flavor, payload, expected] of v1) {
  test(`mapResponseV1 (${flavor}): ${name}`, () => check(mapResponseV1(payload, { flavor }), expected));
}

test('mapResponseV1 (REST) passes a base64 body through as text when the Accept type is not binary', () => {
  const payload = json({ statusCode: 200, body: 'aGk=', isBase64Encoded: true });
  check(mapResponseV1(payload, { flavor: 'rest', decodeBase64: false }), { status: 200, headers: [], body: 'aGk=' });
  check(mapResponseV1(payload, { flavor: 'rest', decodeBase64: true }), { status: 200, headers: [], body: 'hi' });
  check(mapResponseV1(payload, { flavor: 'http', decodeBase64: false }), { status: 200, headers: [], body: 'hi' });
});

test('mapResponseV2 orders headers: single headers, then multi-value entries, then cookies', () => {
  const mapped = mapResponseV2(json({ statusCode: 200, multiValueHeaders: { b: ['1'] }, headers: { a: '2' }, cookies: ['c=3'] }));
  assert.deepEqual(mapped.kind === 'response' ? mapped.headers : [], [['a', '2'], ['b', '1'], ['set-cookie', 'c=3']]);
});
