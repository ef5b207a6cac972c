/**
 * @module test/gateway/request.test — the shared request helpers: query parsing, header grouping, AWS's request
 * time format, and the text-or-binary body decisions for payload 2.0 and for `binaryMediaTypes`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  domainPrefixOf,
  formatRequestTime,
  groupHeaders,
  headerValue,
  isTextBody,
  isTextMediaType,
  matchesMediaTypes,
  parseQueryString,
} from '../../src/gateway/index.js';

const queries: [string, [string, string[]][]][] = [
  ['', []],
  ['parameter1=value1&parameter1=value2&parameter2=value', [['parameter1', ['value1', 'value2']], ['parameter2', ['value']]]],
  ['sort=-+createdAt', [['sort', ['- createdAt']]]],
  ['q=a%2Bb&r=%26%3D', [['q', ['a+b']], ['r', ['&=']]]],
  ['flag', [['flag', ['']]]],
  ['a=&a=1', [['a', ['', '1']]]],
  ['&&x=1&', [['x', ['1']]]],
  ['=orphan&y=2', [['y', ['2']]]],
  ['k=a=b', [['k', ['a=b']]]],
  ['bad=%E0%A4%A&n%61me=v', [['bad', ['%E0%A4%A']], ['name', ['v']]]],
  ['caf%C3%A9=%E2%82%AC', [['café', ['€']]]],
];

for (const [raw, expected] of queries) {
  test(`parseQueryString('${raw}')`, () => {
    assert.deepEqual([...parseQueryString(raw)], expected);
  });
}

test('groupHeaders groups case-insensitively under the first spelling, in arrival order', () => {
  const groups = groupHeaders([['X-A', '1'], ['Host', 'h'], ['x-a', '2'], ['X-A', '3']]);
  assert.deepEqual([...groups], [
    ['x-a', { name: 'X-A', values: ['1', '2', '3'] }],
    ['host', { name: 'Host', values: ['h'] }],
  ]);
  assert.equal(headerValue([['Content-Type', 'a'], ['content-type', 'b']], 'CONTENT-TYPE'), 'a');
  assert.equal(headerValue([], 'x'), undefined);
});

const times: [number, string][] = [
  [1583349317135, '04/Mar/2020:19:15:17 +0000'],
  [1583348638390, '04/Mar/2020:19:03:58 +0000'],
  [0, '01/Jan/1970:00:00:00 +0000'],
  [Date.UTC(2024, 11, 31, 23, 59, 59, 999), '31/Dec/2024:23:59:59 +0000'],
];
for (const [epoch, text] of times) {
  test(`formatRequestTime(${epoch}) = ${text}`, () => assert.equal(formatRequestTime(epoch), text));
}

test('domainPrefixOf takes the first label and drops a port', () => {
  assert.deepEqual(
    [domainPrefixOf('id.execute-api.us-east-1.amazonaws.com'), domainPrefixOf('localhost:4566'), domainPrefixOf('api.local:8080')],
    ['id', 'localhost', 'api'],
  );
});

const mediaTypes: [string | undefined, boolean][] = [
  ['text/plain', true],
  ['text/html; charset=utf-8', true],
  ['TEXT/CSV', true],
  ['application/json', true],
  ['Application/JSON; charset=UTF-8', true],
  ['application/xml', true],
  ['application/javascript', true],
  ['application/x-www-form-urlencoded', false],
  ['application/octet-stream', false],
  ['image/png', false],
  ['multipart/form-data; boundary=x', false],
  ['application/vnd.api+json', false],
  ['', false],
  [undefined, false],
];
for (const [type, text] of mediaTypes) {
  test(`isTextMediaType(${JSON.stringify(type)}) is ${text}`, () => assert.equal(isTextMediaType(type), text));
}

test('isTextBody also needs valid UTF-8', () => {
  assert.equal(isTextBody('text/plain', Buffer.from('héllo')), true);
  assert.equal(isTextBody('text/plain', Buffer.from([0xff, 0xfe, 0x00])), false);
  assert.equal(isTextBody('image/png', Buffer.from('plain ascii')), false);
});

const binaryTypes: [string | undefined, string[], boolean][] = [
  ['image/png', ['image/png'], true],
  ['image/png; q=1', ['image/png'], true],
  ['IMAGE/PNG', ['image/png'], true],
  ['image/jpeg', ['image/*'], true],
  ['application/json', ['*/*'], true],
  ['application/json', ['image/*', 'application/octet-stream'], false],
  ['application/octet-stream', ['image/*', 'application/octet-stream'], true],
  ['application/vnd.x+json', ['application/vnd.x+json'], true],
  ['application/vndxx+json', ['application/vnd.x+json'], false],
  [undefined, ['*/*'], false],
  ['image/png', [], false],
];
for (const [type, list, expected] of binaryTypes) {
  test(`matchesMediaTypes(${JSON.stringify(type)}, [${list.join(', ')}]) is ${expected}`, () => assert.equal(matchesMediaTypes(type, list), expected));
}
