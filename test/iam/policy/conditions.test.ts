/** @module test/iam/policy/conditions — every condition operator family, IfExists, set qualifiers and missing keys. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCondition, evaluateCondition, validateConditionBlock, type ConditionBlock } from '../../../src/iam/policy/conditions.js';
import { parseOperator } from '../../../src/iam/policy/operators.js';
import type { VariableValue } from '../../../src/iam/policy/variables.js';
import { resolverOf } from './helpers.js';

type Context = Record<string, VariableValue>;
/** [note, condition, request context, expected] */
type Case = readonly [string, ConditionBlock, Context, boolean];

const DEVICE: Context = {
  'iot:ClientId': 'sensor-1',
  'iot:Connection.Thing.ThingName': 'sensor-1',
  'iot:Connection.Thing.ThingTypeName': 'Thermostat',
  'iot:Connection.Thing.IsAttached': 'true',
  'iot:Connection.Thing.Attributes[floor]': '3',
  'iot:Certificate.Subject.Organization': 'Example Corp',
  'iot:Certificate.Subject.Organization.List': ['Example Corp', 'AnyCompany'],
  'iot:Certificate.Validity.NotAfter': '2049-12-31T23:59:59Z',
  'aws:SourceIp': '203.0.113.7',
  'iot:LastWillTopic': 'arn:aws:iot:us-east-1:123456789012:topic/my/lastwill/sensor-1',
  'client:star': 'a*',
  'client:abc': 'abc',
};

const CA = ['PersistentConnect'];
const CA_BOTH = ['PersistentConnect', 'LastWill'];
const withAttributes = (attrs: string[] | undefined): Context => ({ ...DEVICE, 'iot:ConnectAttributes': attrs });

const CASES: Case[] = [
  // String
  ['StringEquals matches', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Thermostat' } }, DEVICE, true],
  ['StringEquals is case-sensitive', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'thermostat' } }, DEVICE, false],
  ['StringEquals values are ORed', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': ['Lamp', 'Thermostat'] } }, DEVICE, true],
  ['StringEquals with * is literal', { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Thermo*' } }, DEVICE, false],
  ['StringEquals missing key is false', { StringEquals: { 'iot:Connection.Thing.Attributes[room]': 'x' } }, DEVICE, false],
  ['StringEquals against a policy variable', { StringEquals: { 'iot:ClientId': '${iot:Connection.Thing.ThingName}' } }, DEVICE, true],
  ['StringEquals variable that does not resolve matches nothing', { StringEquals: { 'iot:ClientId': '${iot:Connection.Thing.Attributes[x]}' } }, DEVICE, false],
  ['StringNotEquals true when different', { StringNotEquals: { 'iot:Connection.Thing.ThingTypeName': 'Lamp' } }, DEVICE, true],
  ['StringNotEquals is NOR over values', { StringNotEquals: { 'iot:Connection.Thing.ThingTypeName': ['Lamp', 'Thermostat'] } }, DEVICE, false],
  ['StringNotEquals missing key is true (IAM)', { StringNotEquals: { 'iot:Connection.Thing.Attributes[room]': 'x' } }, DEVICE, true],
  ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'iot:Connection.Thing.ThingTypeName': 'THERMOSTAT' } }, DEVICE, true],
  ['StringEqualsIgnoreCase mismatch', { StringEqualsIgnoreCase: { 'iot:Connection.Thing.ThingTypeName': 'LAMP' } }, DEVICE, false],
  ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'iot:Connection.Thing.ThingTypeName': 'THERMOSTAT' } }, DEVICE, false],
  ['StringLike with *', { StringLike: { 'iot:ClientId': 'sensor-*' } }, DEVICE, true],
  ['StringLike with ?', { StringLike: { 'iot:ClientId': 'sensor-?' } }, DEVICE, true],
  ['StringLike mismatch', { StringLike: { 'iot:ClientId': 'lamp-*' } }, DEVICE, false],
  ['StringLike substituted value is literal', { StringLike: { 'client:abc': '${client:star}' } }, DEVICE, false],
  ['StringLike substituted * matches a literal *', { StringLike: { 'client:star': '${client:star}' } }, DEVICE, true],
  ['StringLike ${*} escape is literal', { StringLike: { 'client:star': 'a${*}' } }, DEVICE, true],
  ['StringLike ${*} escape does not wildcard', { StringLike: { 'iot:ClientId': 'sensor${*}' } }, DEVICE, false],
  ['StringNotLike', { StringNotLike: { 'iot:ClientId': 'lamp-*' } }, DEVICE, true],
  ['StringNotLike matching value', { StringNotLike: { 'iot:ClientId': ['lamp-*', 'sensor-*'] } }, DEVICE, false],
  ['key names are case-insensitive', { StringEquals: { 'IOT:CLIENTID': 'sensor-1' } }, DEVICE, true],
  // Numeric
  ['NumericEquals', { NumericEquals: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, true],
  ['NumericEquals as string', { NumericEquals: { 'iot:Connection.Thing.Attributes[floor]': '3.0' } }, DEVICE, true],
  ['NumericNotEquals', { NumericNotEquals: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, false],
  ['NumericLessThan', { NumericLessThan: { 'iot:Connection.Thing.Attributes[floor]': 4 } }, DEVICE, true],
  ['NumericLessThan boundary', { NumericLessThan: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, false],
  ['NumericLessThanEquals boundary', { NumericLessThanEquals: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, true],
  ['NumericGreaterThan', { NumericGreaterThan: { 'iot:Connection.Thing.Attributes[floor]': 2 } }, DEVICE, true],
  ['NumericGreaterThan boundary', { NumericGreaterThan: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, false],
  ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 'iot:Connection.Thing.Attributes[floor]': 3 } }, DEVICE, true],
  ['Numeric on a non-number request value is false', { NumericEquals: { 'iot:ClientId': 1 } }, DEVICE, false],
  // Date
  ['DateGreaterThan ISO', { DateGreaterThan: { 'iot:Certificate.Validity.NotAfter': '2030-01-01T00:00:00Z' } }, DEVICE, true],
  ['DateLessThan ISO', { DateLessThan: { 'iot:Certificate.Validity.NotAfter': '2030-01-01T00:00:00Z' } }, DEVICE, false],
  ['DateLessThan epoch seconds (2050-01-01)', { DateLessThan: { 'iot:Certificate.Validity.NotAfter': 2524608000 } }, DEVICE, true],
  ['DateGreaterThan epoch seconds (2050-01-01)', { DateGreaterThan: { 'iot:Certificate.Validity.NotAfter': 2524608000 } }, DEVICE, false],
  // Bool
  ['Bool true', { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, DEVICE, true],
  ['Bool JSON boolean', { Bool: { 'iot:Connection.Thing.IsAttached': true } }, DEVICE, true],
  ['Bool false vs attached', { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } }, DEVICE, false],
  ['Bool not attached', { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, { ...DEVICE, 'iot:Connection.Thing.IsAttached': 'false' }, false],
  ['Bool missing key', { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, {}, false],
  // IP
  ['IpAddress in CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, DEVICE, true],
  ['IpAddress outside CIDR', { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, DEVICE, false],
  ['IpAddress values are ORed', { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.7'] } }, DEVICE, true],
  ['IpAddress IPv4-mapped request', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '::ffff:203.0.113.7' }, true],
  ['IpAddress IPv6', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8::5' }, true],
  ['NotIpAddress inside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, DEVICE, false],
  ['NotIpAddress outside', { NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, DEVICE, true],
  ['IpAddress garbage request value', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': 'unknown' }, false],
  // ARN
  ['ArnEquals with per-component wildcards', { ArnEquals: { 'iot:LastWillTopic': 'arn:aws:iot:*:*:topic/my/lastwill/*' } }, DEVICE, true],
  ['ArnLike exact', { ArnLike: { 'iot:LastWillTopic': 'arn:aws:iot:us-east-1:123456789012:topic/my/lastwill/sensor-1' } }, DEVICE, true],
  ['ArnLike * does not cross a component', { ArnLike: { 'iot:LastWillTopic': 'arn:aws:*:topic/my/lastwill/sensor-1' } }, DEVICE, false],
  ['ArnLike with a variable', { ArnLike: { 'iot:LastWillTopic': 'arn:aws:iot:*:*:topic/my/lastwill/${iot:ClientId}' } }, DEVICE, true],
  ['ArnLike wrong region', { ArnLike: { 'iot:LastWillTopic': 'arn:aws:iot:eu-west-1:*:topic/*' } }, DEVICE, false],
  ['ArnNotEquals', { ArnNotEquals: { 'iot:LastWillTopic': 'arn:aws:iot:*:*:topic/other' } }, DEVICE, true],
  ['ArnNotLike matching', { ArnNotLike: { 'iot:LastWillTopic': 'arn:aws:iot:*:*:topic/*' } }, DEVICE, false],
  ['ArnNotLike missing key is true (IAM)', { ArnNotLike: { 'iot:LastWillTopic': 'arn:aws:iot:*:*:topic/*' } }, {}, true],
  ['ArnLike on a non-ARN value', { ArnLike: { 'iot:ClientId': '*' } }, DEVICE, false],
  // Null
  ['Null true and key absent', { Null: { 'iot:Connection.Thing.Attributes[room]': 'true' } }, DEVICE, true],
  ['Null true and key present', { Null: { 'iot:ClientId': 'true' } }, DEVICE, false],
  ['Null false and key present', { Null: { 'iot:ClientId': false } }, DEVICE, true],
  ['Null false and key absent', { Null: { 'iot:Connection.Thing.Attributes[room]': 'false' } }, DEVICE, false],
  ['Null counts an empty list as absent', { Null: { 'iot:ConnectAttributes': 'true' } }, withAttributes([]), true],
  // IfExists
  ['StringEqualsIfExists absent', { StringEqualsIfExists: { 'iot:Connection.Thing.ThingTypeName': 'Lamp' } }, {}, true],
  ['StringEqualsIfExists present and different', { StringEqualsIfExists: { 'iot:Connection.Thing.ThingTypeName': 'Lamp' } }, DEVICE, false],
  ['BoolIfExists present', { BoolIfExists: { 'iot:Connection.Thing.IsAttached': 'true' } }, DEVICE, true],
  ['IpAddressIfExists absent', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
  ['NumericLessThanIfExists present', { NumericLessThanIfExists: { 'iot:Connection.Thing.Attributes[floor]': 1 } }, DEVICE, false],
  // Sets (iot:ConnectAttributes, AWS IoT persistent-session examples)
  ['ForAllValues:StringEquals subset', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': CA_BOTH } }, withAttributes(CA), true],
  ['ForAllValues:StringEquals not a subset', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }, withAttributes(CA_BOTH), false],
  ['ForAllValues:StringEquals empty request set', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }, withAttributes([]), true],
  ['ForAllValues:StringEquals missing key', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }, withAttributes(undefined), true],
  ['ForAllValues:StringEquals [] allows only default features', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } }, withAttributes(CA), false],
  ['ForAllValues:StringEquals [] with no features', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } }, withAttributes([]), true],
  ['ForAllValues:StringNotEquals excludes PersistentConnect', { 'ForAllValues:StringNotEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(['LastWill']), true],
  ['ForAllValues:StringNotEquals with PersistentConnect', { 'ForAllValues:StringNotEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(CA_BOTH), false],
  ['ForAnyValue:StringEquals hit', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(CA_BOTH), true],
  ['ForAnyValue:StringEquals miss', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(['LastWill']), false],
  ['ForAnyValue:StringEquals empty set', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': CA } }, withAttributes([]), false],
  ['ForAnyValue:StringEquals missing key', { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(undefined), false],
  ['ForAnyValue:StringNotEquals some value outside', { 'ForAnyValue:StringNotEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(CA_BOTH), true],
  ['ForAnyValue:StringNotEquals all inside', { 'ForAnyValue:StringNotEquals': { 'iot:ConnectAttributes': CA } }, withAttributes(CA), false],
  ['ForAnyValue:StringLike', { 'ForAnyValue:StringLike': { 'iot:ConnectAttributes': 'Last*' } }, withAttributes(CA_BOTH), true],
  ['ForAllValues:StringLike', { 'ForAllValues:StringLike': { 'iot:ConnectAttributes': 'Persistent*' } }, withAttributes(CA_BOTH), false],
  ['ForAllValues over certificate .List', { 'ForAllValues:StringEquals': { 'iot:Certificate.Subject.Organization.List': ['Example Corp', 'AnyCompany'] } }, DEVICE, true],
  ['plain operator on a multi-valued key acts as ForAnyValue', { StringEquals: { 'iot:ConnectAttributes': 'LastWill' } }, withAttributes(CA_BOTH), true],
  ['plain negated operator on a multi-valued key: none may match', { StringNotEquals: { 'iot:ConnectAttributes': 'LastWill' } }, withAttributes(CA_BOTH), false],
  // Combination
  ['operators are ANDed', { StringEquals: { 'iot:ClientId': 'sensor-1' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, DEVICE, false],
  ['operators are ANDed (both hold)', { StringEquals: { 'iot:ClientId': 'sensor-1' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, DEVICE, true],
  ['keys under one operator are ANDed', { StringEquals: { 'iot:ClientId': 'sensor-1', 'iot:Connection.Thing.ThingTypeName': 'Lamp' } }, DEVICE, false],
];

describe('evaluateCondition', () => {
  test('the table has at least 80 cases', () => assert.ok(CASES.length >= 80));
  for (const [note, block, context, expected] of CASES) {
    test(`${note} → ${expected}`, () => {
      assert.equal(validateConditionBlock(block, true), undefined);
      assert.equal(evaluateCondition(compileCondition(block, true), resolverOf(context)), expected);
    });
  }
});

describe('validateConditionBlock', () => {
  /** [note, condition, expected message pattern] */
  const BAD: [string, unknown, RegExp][] = [
    ['not an object', 'x', /^Condition must be an object of operators$/],
    ['array', [], /^Condition must be an object of operators$/],
    ['unknown operator', { StringEqualz: { a: 'b' } }, /^Condition operator "StringEqualz" is not supported$/],
    ['operator names are case-sensitive', { stringequals: { a: 'b' } }, /"stringequals" is not supported/],
    ['unknown set qualifier', { 'ForSomeValues:StringEquals': { a: 'b' } }, /"ForSomeValues:StringEquals" is not supported/],
    ['NullIfExists does not exist', { NullIfExists: { a: 'true' } }, /"NullIfExists" is not supported/],
    ['operator without keys', { StringEquals: {} }, /"StringEquals" must be an object mapping condition keys to values/],
    ['operator with a string', { StringEquals: 'x' }, /"StringEquals" must be an object/],
    ['nested object value', { StringEquals: { a: { b: 'c' } } }, /key "a": values must be strings, numbers or booleans/],
    ['null value', { StringEquals: { a: null } }, /key "a": values must be/],
    ['non-numeric number', { NumericLessThan: { 'iot:x': 'ten' } }, /"NumericLessThan" key "iot:x": "ten" is not a number/],
    ['bad bool', { Bool: { 'iot:x': 'yes' } }, /"Bool" key "iot:x": "yes" must be "true" or "false"/],
    ['bad Null', { Null: { 'iot:x': 'maybe' } }, /"Null" key "iot:x": "maybe" must be "true" or "false"/],
    ['bad CIDR', { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }, /"IpAddress" key "aws:SourceIp": "10.0.0.0\/33" is not an IP address or CIDR block/],
    ['bad date', { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }, /"tomorrow" is not a date/],
    ['empty key', { StringEquals: { '': 'x' } }, /has an empty condition key/],
  ];
  for (const [note, block, message] of BAD) {
    test(note, () => assert.match(validateConditionBlock(block, true) ?? '(accepted)', message));
  }
});

describe('parseOperator', () => {
  test('splits qualifier, base and IfExists', () => {
    const spec = parseOperator('ForAnyValue:StringLikeIfExists');
    assert.equal(spec?.set, 'any');
    assert.equal(spec?.ifExists, true);
    assert.equal(spec?.base.family, 'string');
    assert.equal(spec?.base.comparison, 'like');
  });
  test('negated operators are flagged', () => {
    for (const name of ['StringNotEquals', 'StringNotLike', 'NumericNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike', 'DateNotEquals']) {
      assert.equal(parseOperator(name)?.base.negated, true, name);
    }
    for (const name of ['StringEquals', 'StringLike', 'NumericEquals', 'IpAddress', 'ArnEquals', 'ArnLike', 'Bool']) {
      assert.equal(parseOperator(name)?.base.negated, false, name);
    }
  });
});
