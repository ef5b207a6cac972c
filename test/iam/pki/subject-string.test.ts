import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCertificateError } from '../../../src/iam/pki/index.js';
import { parseSubjectString } from '../../../src/iam/pki/subject-string.js';

const cn = (value: string) => ({ '2.5.4.3': [{ printableString: value }] });

test('parseSubjectString reads RFC 4514 and OpenSSL -subj forms in certificate order', () => {
  const cases: [string, unknown][] = [
    ['CN=thing', [cn('thing')]],
    ['C=US, O=Acme, OU=a, OU=b, CN=thing', [{ '2.5.4.6': [{ printableString: 'US' }] }, { '2.5.4.10': [{ printableString: 'Acme' }] }, { '2.5.4.11': [{ printableString: 'a' }] }, { '2.5.4.11': [{ printableString: 'b' }] }, cn('thing')]],
    ['/O=Acme, Inc./CN=thing', [{ '2.5.4.10': [{ printableString: 'Acme, Inc.' }] }, cn('thing')]],
    ['CN = spaced out , title=Dr', [cn('spaced out'), { '2.5.4.12': [{ printableString: 'Dr' }] }]],
    ['commonName=x+OU=y', [{ '2.5.4.3': [{ printableString: 'x' }], '2.5.4.11': [{ printableString: 'y' }] }]],
    ['CN="a, b"', [cn('a, b')]],
    ['CN=a\\, b\\+c\\\\d\\"e', [{ '2.5.4.3': [{ utf8String: 'a, b+c\\d"e' }] }]],
    ['CN=line\\0Anext, CN=trail\\ ', [{ '2.5.4.3': [{ utf8String: 'line\nnext' }] }, cn('trail ')]],
    ['CN=Z\\C3\\BCrich, O=Zürich', [{ '2.5.4.3': [{ utf8String: 'Zürich' }] }, { '2.5.4.10': [{ utf8String: 'Zürich' }] }]],
    ['emailAddress=a@b.example, 1.2.3.4=x', [{ '1.2.840.113549.1.9.1': [{ ia5String: 'a@b.example' }] }, { '1.2.3.4': [{ printableString: 'x' }] }]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseSubjectString(input), expected, input);
});

test('parseSubjectString refuses what it would otherwise have to guess at', () => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['just words', /"just words" where an attribute/],
    ['CN=a, garbage', /"garbage" where an attribute/],
    ['garbage, CN=a', /"garbage" where an attribute/],
    ['Foo=bar', /attribute name hako does not know, "Foo"/],
    ['=bar', /value without an attribute name/],
    ['CN=a;O=b', /unescaped ";"/],
    ['CN="open', /unterminated quoted value/],
    ['CN="a" b', /text after a quoted value/],
    ['CN=#04024869', /starting with "#"/],
    ['CN=a\\', /lone backslash/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseSubjectString(input), (error: unknown) => isCertificateError(error, 'SUBJECT_INVALID') && message.test(error.message), input);
  }
});
