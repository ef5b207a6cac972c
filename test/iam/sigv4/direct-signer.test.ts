import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SignatureClaim } from '../../../src/iam/sigv4/claim.js';
import { computeSignatureDirect } from '../../../src/iam/sigv4/direct-signer.js';
import { computeSignature, type CanonicalInput } from '../../../src/iam/sigv4/signer.js';
import { KEY, SIGNED_AT } from './helpers.js';

const claim: SignatureClaim = {
  form: 'header',
  accessKeyId: KEY.accessKeyId,
  scope: { date: '20150830', region: 'us-east-1', service: 'lambda' },
  signedHeaders: [],
  signature: '',
  amzDate: '20150830T123600Z',
  signingDate: SIGNED_AT,
  expiresSeconds: undefined,
};

const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const base: CanonicalInput = { method: 'POST', path: '/2015-03-31/functions/echo/invocations', query: {}, headers: { host: 'localhost:8080', 'x-amz-date': '20150830T123600Z' }, payloadHash: HASH };

// Every corner of canonicalisation the direct signer reproduces, each checked against the smithy signer
// (the SDK clients' own code): if they ever differ, verify.ts falls back to smithy and only time is lost,
// so this table is what keeps the fast path the path actually taken.
const cases: { name: string; input: Partial<CanonicalInput>; service?: string }[] = [
  { name: 'a plain Invoke', input: {} },
  { name: 'the root path', input: { method: 'GET', path: '/' } },
  { name: 'an empty path', input: { method: 'GET', path: '' } },
  { name: 'a trailing slash', input: { path: '/things/' } },
  { name: 'dot segments and doubled slashes', input: { path: '/a/./b/../c//d' } },
  { name: '.. past the root', input: { path: '/../../x' } },
  { name: 'percent-encoded characters, encoded again', input: { path: '/things/my%20thing/shadow%3Fx' } },
  { name: 'an alias qualifier with a colon', input: { path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aecho/invocations' } },
  { name: "RFC 3986 reserved characters !'()*", input: { path: "/a!b'c(d)e*f" } },
  { name: 'unicode in the path', input: { path: '/things/%E7%AE%B1' } },
  { name: 'query parameters out of order', input: { query: { Qualifier: 'live', MaxItems: '10', Marker: 'a b' } } },
  { name: 'a repeated query parameter', input: { query: { b: ['2', '1', '10'], a: 'x' } } },
  { name: 'an empty query value', input: { query: { name: '', other: 'y' } } },
  { name: 'escapes in query keys and values', input: { query: { 'key with space': "v!'()*/?=&", 'é': 'ü' } } },
  { name: 'the signature parameter is left out', input: { query: { 'X-Amz-Signature': 'abc', 'X-Amz-Date': '20150830T123600Z' } } },
  { name: 'an empty list value', input: { query: { a: [], b: '1' } } },
  { name: 'header values with runs of spaces, tabs and line breaks', input: { headers: { host: 'h', 'x-amz-meta': '  a   b\tc\r\nd  ', 'content-type': 'application/json' } } },
  { name: 'many headers, unsorted', input: { headers: { 'x-amz-target': 'AWSEvents.PutRule', host: 'h', 'content-type': 'application/x-amz-json-1.1', 'x-amz-content-sha256': HASH, 'x-amz-date': '20150830T123600Z', 'user-agent': 'aws-sdk-js/3' } } },
  { name: 'an UNSIGNED-PAYLOAD hash', input: { payloadHash: 'UNSIGNED-PAYLOAD' } },
  { name: 'another service scope', input: {}, service: 'iotdata' },
];

for (const { name, input, service } of cases) {
  test(`direct SigV4 signer matches @smithy/signature-v4: ${name}`, async () => {
    const full = { ...base, ...input };
    const scoped = service === undefined ? claim : { ...claim, scope: { ...claim.scope, service } };
    const expected = await computeSignature(full, scoped, KEY.secretAccessKey);
    assert.equal(computeSignatureDirect(full, scoped, KEY.secretAccessKey), expected);
  });
}

test('direct SigV4 signer: the signing key follows the secret, the day and the scope (no stale cache entry)', async () => {
  const first = computeSignatureDirect(base, claim, KEY.secretAccessKey);
  assert.notEqual(computeSignatureDirect(base, claim, 'another-secret'), first);
  const nextDay = { ...claim, scope: { ...claim.scope, date: '20150831' }, amzDate: '20150831T000100Z', signingDate: new Date('2015-08-31T00:01:00Z') };
  assert.equal(computeSignatureDirect(base, nextDay, KEY.secretAccessKey), await computeSignature(base, nextDay, KEY.secretAccessKey));
  assert.notEqual(computeSignatureDirect(base, nextDay, KEY.secretAccessKey), first);
  assert.equal(computeSignatureDirect(base, claim, KEY.secretAccessKey), first);
});

test("AWS's documented example: GET /?Param1=value1 with the example key signs to the published signature", () => {
  // From the SigV4 test suite (get-vanilla-query-order-key-case is the nearest with a published value):
  // method GET, path /, host example.amazonaws.com, x-amz-date 20150830T123600Z, service "service".
  const input: CanonicalInput = { method: 'GET', path: '/', query: { Param2: 'value2', Param1: 'value1' }, headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, payloadHash: HASH };
  const scoped = { ...claim, scope: { date: '20150830', region: 'us-east-1', service: 'service' } };
  assert.equal(computeSignatureDirect(input, scoped, KEY.secretAccessKey), 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
});
