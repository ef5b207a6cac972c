/** @module test/iam/policy/document — policy document parsing: normalisation and every MalformedPolicy message. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_POLICY_CHARACTERS, countPolicyCharacters, parsePolicyDocument } from '../../../src/iam/policy/index.js';

const V = '2012-10-17';
const OK_STATEMENT = { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:us-east-1:123456789012:client/c1' };
const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: V, Statement: statement, ...extra });
const withStatement = (fields: Record<string, unknown>) => doc([OK_STATEMENT, { ...OK_STATEMENT, ...fields }]);
const without = (key: string, fields: Record<string, unknown> = {}) => {
  const s: Record<string, unknown> = { ...OK_STATEMENT, ...fields };
  delete s[key];
  return doc([s]);
};

describe('parsePolicyDocument accepts', () => {
  test('a single statement object and normalises strings to arrays', () => {
    const parsed = parsePolicyDocument(doc(OK_STATEMENT));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.document, {
      version: V,
      statements: [{ effect: 'Allow', action: ['iot:Connect'], resource: ['arn:aws:iot:us-east-1:123456789012:client/c1'] }],
    });
  });

  test('NotAction / NotResource, Sid, Condition and Id', () => {
    const statement = { Sid: 'NoShadow', Effect: 'Deny', NotAction: ['iot:Publish', 'iot:Receive'], NotResource: '*', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } } };
    const parsed = parsePolicyDocument(doc([statement], { Id: 'p1' }));
    assert.ok(parsed.ok);
    assert.equal(parsed.document.id, 'p1');
    assert.deepEqual(parsed.document.statements[0], {
      sid: 'NoShadow',
      effect: 'Deny',
      notAction: ['iot:Publish', 'iot:Receive'],
      notResource: ['*'],
      condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } },
    });
  });

  test('policy language 2008-10-17', () => {
    const parsed = parsePolicyDocument(JSON.stringify({ Version: '2008-10-17', Statement: [OK_STATEMENT] }));
    assert.ok(parsed.ok);
    assert.equal(parsed.document.version, '2008-10-17');
  });

  /** [note, Action value] */
  const ACTIONS: [string, unknown][] = [
    ['star', '*'],
    ['service wildcard', 'iot:*'],
    ['partial wildcard', 'iot:*Shadow'],
    ['question mark', 'iot:Publis?'],
    ['another service (Greengrass core policies)', 'greengrass:Discover'],
    ['lower-case action', 'iot:publish'],
  ];
  for (const [note, action] of ACTIONS) {
    test(`Action: ${note}`, () => assert.ok(parsePolicyDocument(doc({ ...OK_STATEMENT, Action: action })).ok));
  }

  test('an empty value list under ForAllValues (AWS "default features only" example)', () => {
    const parsed = parsePolicyDocument(doc({ ...OK_STATEMENT, Condition: { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } } }));
    assert.ok(parsed.ok);
  });

  test(`exactly ${MAX_POLICY_CHARACTERS} characters, whitespace not counted`, () => {
    const base = doc({ ...OK_STATEMENT, Sid: '' });
    const padded = doc({ ...OK_STATEMENT, Sid: 'x'.repeat(MAX_POLICY_CHARACTERS - countPolicyCharacters(base)) });
    assert.equal(countPolicyCharacters(padded), MAX_POLICY_CHARACTERS);
    const spaced = padded.replace(/,/g, ',\n        ');
    assert.ok(spaced.length > MAX_POLICY_CHARACTERS + 20);
    assert.ok(parsePolicyDocument(spaced).ok);
  });
});

/** [note, document text, expected message pattern] */
const MALFORMED: [string, string, RegExp][] = [
  ['not JSON', '{"Version": ', /^policy document is not valid JSON: /],
  ['JSON array', '[]', /^policy document must be a JSON object$/],
  ['JSON string', '"x"', /^policy document must be a JSON object$/],
  ['unknown top-level element', doc(OK_STATEMENT, { Statements: [] }), /^policy document has an unknown element "Statements"; allowed: Version, Id, Statement$/],
  ['missing Version', JSON.stringify({ Statement: [OK_STATEMENT] }), /^policy document must have a "Version" \("2012-10-17"\)$/],
  ['wrong Version', JSON.stringify({ Version: '2012-10-18', Statement: [OK_STATEMENT] }), /^"Version" must be "2012-10-17" or "2008-10-17", not "2012-10-18"$/],
  ['numeric Version', JSON.stringify({ Version: 2012, Statement: [OK_STATEMENT] }), /not 2012$/],
  ['Id not a string', doc(OK_STATEMENT, { Id: 5 }), /^"Id" must be a string$/],
  ['missing Statement', JSON.stringify({ Version: V }), /^policy document must have a "Statement"$/],
  ['empty Statement', doc([]), /^"Statement" must not be empty$/],
  ['Statement a string', doc('x'), /^"Statement" must be an object or an array of objects$/],
  ['statement not an object', doc([OK_STATEMENT, 'x']), /^statement 2 must be an object$/],
  ['Sid not a string', withStatement({ Sid: 1 }), /^statement 2: "Sid" must be a string$/],
  ['duplicate Sid', doc([{ ...OK_STATEMENT, Sid: 'A' }, { ...OK_STATEMENT, Sid: 'A' }]), /^statement 2 \(Sid "A"\): Sid "A" is already used by statement 1; Sids must be unique$/],
  ['unknown statement element', withStatement({ Actions: 'iot:Connect' }), /^statement 2: unknown element "Actions"; allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Condition$/],
  ['Principal', withStatement({ Principal: '*' }), /^statement 2: an AWS IoT policy must not specify "Principal"$/],
  ['missing Effect', without('Effect'), /^statement 1: "Effect" is required$/],
  ['lower-case Effect', withStatement({ Effect: 'allow', Sid: 'S' }), /^statement 2 \(Sid "S"\): "Effect" must be "Allow" or "Deny", not "allow"$/],
  ['missing Action', without('Action'), /^statement 1: "Action" or "NotAction" is required$/],
  ['Action and NotAction', withStatement({ NotAction: 'iot:Publish' }), /^statement 2: use either "Action" or "NotAction", not both$/],
  ['empty Action array', withStatement({ Action: [] }), /^statement 2: "Action" must be a non-empty string or a non-empty array of non-empty strings$/],
  ['Action a number', withStatement({ Action: 5 }), /"Action" must be a non-empty string/],
  ['Action array with a number', withStatement({ Action: ['iot:Connect', 5] }), /"Action" must be a non-empty string/],
  ['empty NotAction string', without('Action', { NotAction: '' }), /^statement 1: "NotAction" must be a non-empty string/],
  ['Action without a service', withStatement({ Action: 'Publish' }), /^statement 2: "Action" entry "Publish" is not an action; expected "\*" or "<service>:<name>" such as "iot:Publish"$/],
  ['Action with a space', withStatement({ Action: 'iot:Get Thing' }), /"Action" entry "iot:Get Thing" is not an action/],
  ['Action with an empty name', withStatement({ Action: 'iot:' }), /"Action" entry "iot:" is not an action/],
  ['missing Resource', without('Resource'), /^statement 1: "Resource" or "NotResource" is required$/],
  ['Resource and NotResource', withStatement({ NotResource: '*' }), /^statement 2: use either "Resource" or "NotResource", not both$/],
  ['empty Resource array', withStatement({ Resource: [] }), /^statement 2: "Resource" must be a non-empty string/],
  ['Resource not an ARN', withStatement({ Resource: 'topic/a' }), /^statement 2: "Resource" entry "topic\/a" must be "\*" or an ARN \("arn:…"\)$/],
  ['NotResource not an ARN', without('Resource', { NotResource: ['*', 'client/x'] }), /"NotResource" entry "client\/x" must be "\*" or an ARN/],
  ['unknown condition operator', withStatement({ Condition: { StringEqualsX: { a: 'b' } } }), /^statement 2: Condition operator "StringEqualsX" is not supported$/],
  ['bad condition value', withStatement({ Sid: 'Net', Condition: { IpAddress: { 'aws:SourceIp': 'nope' } } }), /^statement 2 \(Sid "Net"\): Condition "IpAddress" key "aws:SourceIp": "nope" is not an IP address or CIDR block$/],
  ['Condition not an object', withStatement({ Condition: [] }), /^statement 2: Condition must be an object of operators$/],
];

describe('parsePolicyDocument rejects', () => {
  for (const [note, text, message] of MALFORMED) {
    test(note, () => {
      const parsed = parsePolicyDocument(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.message, message);
    });
  }

  test(`more than ${MAX_POLICY_CHARACTERS} characters excluding whitespace`, () => {
    const base = doc({ ...OK_STATEMENT, Sid: '' });
    const text = doc({ ...OK_STATEMENT, Sid: 'x'.repeat(MAX_POLICY_CHARACTERS + 1 - countPolicyCharacters(base)) });
    const parsed = parsePolicyDocument(text);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.message, `policy document is 2049 characters excluding whitespace; the limit is ${MAX_POLICY_CHARACTERS}`);
  });
});

describe('countPolicyCharacters', () => {
  test('skips spaces, tabs and newlines, counts code points', () => {
    assert.equal(countPolicyCharacters(' {\n\t"a" : 1 }\r\n'), 7);
    assert.equal(countPolicyCharacters('"😀"'), 3);
  });
});
