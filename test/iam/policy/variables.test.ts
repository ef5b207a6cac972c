/** @module test/iam/policy/variables — substitution of policy variables, escapes and context-key names. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalKey } from '../../../src/iam/policy/keys.js';
import { parseTemplate, resolveGlob, resolveLiteral, type VariableValue } from '../../../src/iam/policy/variables.js';
import { matchGlob } from '../../../src/iam/policy/wildcard.js';
import { resolverOf } from './helpers.js';

const CONTEXT: Record<string, VariableValue> = {
  'iot:ClientId': 'sensor-1',
  'iot:Connection.Thing.ThingName': 'thing-7',
  'iot:Connection.Thing.ThingTypeName': 'thermostat',
  'iot:Connection.Thing.Attributes[room]': 'kitchen',
  'iot:Connection.Thing.IsAttached': 'true',
  'iot:Certificate.Subject.CommonName': 'device.example.com',
  'iot:Certificate.Subject.Country': 'DE',
  'iot:Certificate.Subject.Organization': 'Example Corp',
  'iot:Certificate.Subject.OrganizationalUnit': 'Fleet',
  'iot:Certificate.Subject.State': 'Berlin',
  'iot:Certificate.Subject.SerialNumber': 'SN-42',
  'iot:Certificate.Subject.DistinguishedNameQualifier': 'dnq',
  'iot:Certificate.Subject.Title': 'Dr',
  'iot:Certificate.Subject.Surname': 'Doe',
  'iot:Certificate.Subject.GivenName': 'Jane',
  'iot:Certificate.Subject.Initials': 'JD',
  'iot:Certificate.Subject.Pseudonym': 'jd',
  'iot:Certificate.Subject.GenerationQualifier': 'III',
  'iot:Certificate.Issuer.CommonName': 'Example CA',
  'iot:Certificate.Issuer.Organization': 'Example Trust',
  'iot:Certificate.SerialNumber': '0a1b2c',
  'iot:Certificate.Validity.NotBefore': '2024-01-01T00:00:00.000Z',
  'iot:Certificate.Validity.NotAfter': '2049-12-31T23:59:59.000Z',
  'aws:SourceIp': '203.0.113.7',
  'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'],
  'iot:Certificate.Subject.Country.List': ['DE', 'FR'],
  'client:star': 'a*',
  'client:question': 'a?',
  'iot:Certificate.Subject.Locality': 'x*y',
  'empty:list': [],
};

/** [note, policy string, value that must match, value that must not match (or null)] */
type SubstitutionCase = readonly [string, string, string, string | null];

const SUBSTITUTIONS: SubstitutionCase[] = [
  ['client id', 'client/${iot:ClientId}', 'client/sensor-1', 'client/sensor-2'],
  ['thing name with trailing wildcard', 'topic/${iot:Connection.Thing.ThingName}/*', 'topic/thing-7/a/b', 'topic/thing-8/a'],
  ['thing type name', 'topic/type/${iot:Connection.Thing.ThingTypeName}', 'topic/type/thermostat', 'topic/type/x'],
  ['thing attribute', 'topic/${iot:Connection.Thing.Attributes[room]}/#', 'topic/kitchen/#', 'topic/kitchen/x'],
  ['IsAttached as text', 'topic/attached-${iot:Connection.Thing.IsAttached}', 'topic/attached-true', 'topic/attached-false'],
  ['subject common name', 'topic/${iot:Certificate.Subject.CommonName}', 'topic/device.example.com', null],
  ['subject country', 'c/${iot:Certificate.Subject.Country}', 'c/DE', null],
  ['subject organization', 'o/${iot:Certificate.Subject.Organization}', 'o/Example Corp', null],
  ['subject OU', 'ou/${iot:Certificate.Subject.OrganizationalUnit}', 'ou/Fleet', null],
  ['subject state', 's/${iot:Certificate.Subject.State}', 's/Berlin', null],
  ['subject serial number', 'sn/${iot:Certificate.Subject.SerialNumber}', 'sn/SN-42', null],
  ['subject DN qualifier', 'q/${iot:Certificate.Subject.DistinguishedNameQualifier}', 'q/dnq', null],
  ['subject title', 't/${iot:Certificate.Subject.Title}', 't/Dr', null],
  ['subject surname', 't/${iot:Certificate.Subject.Surname}', 't/Doe', null],
  ['subject given name', 't/${iot:Certificate.Subject.GivenName}', 't/Jane', null],
  ['subject initials', 't/${iot:Certificate.Subject.Initials}', 't/JD', null],
  ['subject pseudonym', 't/${iot:Certificate.Subject.Pseudonym}', 't/jd', null],
  ['subject generation qualifier', 't/${iot:Certificate.Subject.GenerationQualifier}', 't/III', null],
  ['issuer common name', 'i/${iot:Certificate.Issuer.CommonName}', 'i/Example CA', null],
  ['issuer organization', 'i/${iot:Certificate.Issuer.Organization}', 'i/Example Trust', null],
  ['certificate serial', 'cert/${iot:Certificate.SerialNumber}', 'cert/0a1b2c', null],
  ['validity', 'v/${iot:Certificate.Validity.NotBefore}', 'v/2024-01-01T00:00:00.000Z', null],
  ['source ip', 'ip/${aws:SourceIp}', 'ip/203.0.113.7', null],
  ['multi-valued key substitutes its first value', 'attr/${iot:ConnectAttributes}', 'attr/PersistentConnect', 'attr/LastWill'],
  ['two variables', 'topic/${iot:ClientId}/${iot:Connection.Thing.ThingName}', 'topic/sensor-1/thing-7', 'topic/sensor-1/x'],
  ['variable name case-insensitive', 'client/${IOT:clientid}', 'client/sensor-1', null],
  ['escape ${*} is a literal *', 'topic/${*}', 'topic/*', 'topic/x'],
  ['escape ${?} is a literal ?', 'topic/${?}', 'topic/?', 'topic/x'],
  ['escape ${$} is a literal $', '${$}aws/things', '$aws/things', null],
  ['escapes beside real wildcards', 'topic/${*}/*', 'topic/*/anything', 'topic/x/anything'],
  ['substituted * is literal', 'client/${client:star}', 'client/a*', 'client/abc'],
  ['substituted ? is literal', 'client/${client:question}', 'client/a?', 'client/ab'],
  ['wildcards around a substituted value stay wildcards', '*/${client:star}/?', 'x/y/a*/z', 'x/a*/zz'],
  ['default value when absent', 'topic/${iot:Connection.Thing.ThingName, \'anonymous\'}', 'topic/thing-7', 'topic/anonymous'],
  ['default value used', 'topic/${missing:key, \'anonymous\'}', 'topic/anonymous', 'topic/x'],
  ['unterminated ${ is literal text', 'topic/${iot:ClientId', 'topic/${iot:ClientId', 'topic/sensor-1'],
  ['lone $ is literal', 'topic/$x', 'topic/$x', null],
];

describe('resolveGlob', () => {
  const resolve = resolverOf(CONTEXT);
  for (const [note, source, yes, no] of SUBSTITUTIONS) {
    test(`${note}: '${source}'`, () => {
      const glob = resolveGlob(parseTemplate(source), resolve);
      assert.ok(glob !== undefined, 'did not resolve');
      assert.equal(matchGlob(glob, yes), true, `should match '${yes}'`);
      if (no !== null) assert.equal(matchGlob(glob, no), false, `should not match '${no}'`);
    });
  }

  /** [note, policy string] — each must resolve to nothing. */
  const UNRESOLVED: [string, string][] = [
    ['absent key', 'client/${iot:Certificate.Issuer.Pseudonym}x'],
    ['absent thing attribute', 'topic/${iot:Connection.Thing.Attributes[floor]}'],
    ['attribute names keep their case', 'topic/${iot:Connection.Thing.Attributes[Room]}'],
    ['empty multi-valued key', 'topic/${empty:list}'],
    ['empty variable name', 'topic/${}'],
    ['certificate attribute containing a wildcard is not substituted (AWS)', 'topic/${iot:Certificate.Subject.Locality}'],
  ];
  for (const [note, source] of UNRESOLVED) {
    test(`unresolved: ${note}`, () => assert.equal(resolveGlob(parseTemplate(source), resolve), undefined));
  }

  test('an unresolved variable does not leave matchable text behind', () => {
    const glob = resolveGlob(parseTemplate('client/${nope}'), resolve);
    assert.equal(glob, undefined);
  });

  test('certificate attributes longer than 1024 characters are not substituted', () => {
    const long = resolverOf({ 'iot:Certificate.Subject.CommonName': 'x'.repeat(1025) });
    assert.equal(resolveGlob(parseTemplate('t/${iot:Certificate.Subject.CommonName}'), long), undefined);
    const ok = resolverOf({ 'iot:Certificate.Subject.CommonName': 'x'.repeat(1024) });
    assert.ok(resolveGlob(parseTemplate('t/${iot:Certificate.Subject.CommonName}'), ok) !== undefined);
  });

  test('a client id with * is still substituted (only certificate attributes are refused)', () => {
    const glob = resolveGlob(parseTemplate('client/${iot:ClientId}'), resolverOf({ 'iot:ClientId': 'a*' }));
    assert.ok(glob !== undefined);
    assert.equal(matchGlob(glob, 'client/a*'), true);
    assert.equal(matchGlob(glob, 'client/ab'), false);
  });

  test('the resolver is asked with canonical names', () => {
    const resolve2 = resolverOf(CONTEXT);
    resolveGlob(parseTemplate('${IoT:Connection.thing.thingname}/${aws:sourceip}/${iot:connection.thing.attributes[Room]}'), resolve2);
    assert.deepEqual(resolve2.asked, ['iot:Connection.Thing.ThingName', 'aws:SourceIp', 'iot:Connection.Thing.Attributes[Room]']);
  });
});

describe('parseTemplate', () => {
  test('a template without variables is precompiled and never calls the resolver', () => {
    const template = parseTemplate('topic/${*}/*');
    assert.ok(template.glob !== undefined);
    const resolve = resolverOf({});
    assert.equal(resolveGlob(template, resolve), template.glob);
    assert.deepEqual(resolve.asked, []);
  });

  test('policy language 2008-10-17: ${…} is ordinary text', () => {
    const template = parseTemplate('client/${iot:ClientId}', false);
    assert.deepEqual(template.parts, [{ kind: 'text', text: 'client/${iot:ClientId}' }]);
    const glob = resolveGlob(template, resolverOf(CONTEXT));
    assert.ok(glob !== undefined);
    assert.equal(matchGlob(glob, 'client/sensor-1'), false);
    assert.equal(matchGlob(glob, 'client/${iot:ClientId}'), true);
  });

  test('policy language 2008-10-17: ${*} keeps its * as a wildcard', () => {
    const glob = resolveGlob(parseTemplate('a${*}', false), resolverOf({}));
    assert.ok(glob !== undefined);
    assert.equal(matchGlob(glob, 'a${anything}'), true);
  });

  test('parts of a mixed template', () => {
    assert.deepEqual(parseTemplate("a/${iot:clientid}/${*}${x, 'd'}").parts, [
      { kind: 'text', text: 'a/' },
      { kind: 'variable', name: 'iot:ClientId', fallback: undefined },
      { kind: 'text', text: '/' },
      { kind: 'char', char: '*' },
      { kind: 'variable', name: 'x', fallback: 'd' },
    ]);
  });

  test('resolveLiteral keeps every character literal', () => {
    assert.equal(resolveLiteral(parseTemplate('${iot:ClientId}-*'), resolverOf(CONTEXT)), 'sensor-1-*');
    assert.equal(resolveLiteral(parseTemplate('${nope}'), resolverOf(CONTEXT)), undefined);
  });
});

describe('canonicalKey', () => {
  const CASES: [string, string][] = [
    ['iot:clientid', 'iot:ClientId'],
    ['AWS:SOURCEIP', 'aws:SourceIp'],
    ['iot:connectattributes', 'iot:ConnectAttributes'],
    ['iot:connection.thing.isattached', 'iot:Connection.Thing.IsAttached'],
    ['iot:connection.thing.attributes[Floor]', 'iot:Connection.Thing.Attributes[Floor]'],
    ['iot:certificate.subject.commonname', 'iot:Certificate.Subject.CommonName'],
    ['iot:certificate.issuer.generationqualifier', 'iot:Certificate.Issuer.GenerationQualifier'],
    ['iot:certificate.subject.organization.list', 'iot:Certificate.Subject.Organization.List'],
    ['iot:certificate.subject.country.1', 'iot:Certificate.Subject.Country.1'],
    ['iot:certificate.subject.alternativename.dnsname', 'iot:Certificate.Subject.AlternativeName.DNSName'],
    ['iot:certificate.validity.notafter', 'iot:Certificate.Validity.NotAfter'],
    ['custom:Key', 'custom:Key'],
  ];
  for (const [input, expected] of CASES) {
    test(`${input} → ${expected}`, () => assert.equal(canonicalKey(input), expected));
  }
});
