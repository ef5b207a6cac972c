import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifySigV4, type SignedRequest } from '../../../src/iam/sigv4/index.js';
import { KEY, SIGNED_AT, lookup, presignClient, signClient, tamper } from './helpers.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and ' +
  'signing method. Consult the service documentation for details.';

const body = '{"policyDocument":"{\\"Version\\":\\"2012-10-17\\"}"}';
/** What SDK v3 sends: x-amz-content-sha256 signed. */
const sdkLike = () =>
  signClient(
    { method: 'POST', path: '/policies/p1', query: { a: '1', b: '' }, headers: { 'content-type': 'application/json' }, body },
    { applyChecksum: true },
  );
/** Payload hash only inside the canonical request. */
const plain = () =>
  signClient({ method: 'POST', path: '/policies/p1', query: { a: '1' }, headers: { 'content-type': 'application/json' }, body });

type MutableHeaders = Record<string, string | string[] | undefined>;

function withHeaders(request: SignedRequest, change: (h: MutableHeaders) => void): SignedRequest {
  const headers = { ...request.headers };
  change(headers);
  return { ...request, headers };
}
const authorization = (r: SignedRequest) => String(r.headers['authorization']);
const setAuth = (r: SignedRequest, value: string) => withHeaders(r, (h) => (h['authorization'] = value));

interface Case {
  readonly name: string;
  readonly make: () => Promise<SignedRequest>;
  readonly now?: Date;
  readonly maxSkewMs?: number;
  readonly code: string;
  readonly status?: number;
  readonly message?: string | RegExp;
}

/** Variations of the SDK-like request. */
const changed = (changes: Partial<SignedRequest>) => async () => tamper(await sdkLike(), changes);
const editHeaders = (edit: (h: MutableHeaders) => unknown) => async () =>
  withHeaders(await sdkLike(), (h) => void edit(h));
const editAuth = (edit: (auth: string) => string) => async () => {
  const request = await sdkLike();
  return setAuth(request, edit(authorization(request)));
};
const flipLastDigit = (auth: string) => auth.slice(0, -1) + (auth.at(-1) === '0' ? '1' : '0');
const minutesAfter = (minutes: number, extraMs = 0) => new Date(SIGNED_AT.getTime() + minutes * 60_000 + extraMs);

const cases: readonly Case[] = [
  // tampering after signing
  {
    name: 'body changed (x-amz-content-sha256 signed)',
    make: changed({ body: Buffer.from('{}') }),
    code: 'InvalidSignatureException',
    message: MISMATCH,
  },
  {
    name: 'body changed (hash only in the canonical request)',
    make: async () => tamper(await plain(), { body: Buffer.from('{}') }),
    code: 'InvalidSignatureException',
    message: MISMATCH,
  },
  { name: 'body dropped', make: changed({ body: undefined }), code: 'InvalidSignatureException' },
  { name: 'query value changed', make: changed({ rawQuery: 'a=2&b=' }), code: 'InvalidSignatureException' },
  { name: 'query parameter added', make: changed({ rawQuery: 'a=1&b=&c=3' }), code: 'InvalidSignatureException' },
  { name: 'query parameter dropped', make: changed({ rawQuery: 'a=1' }), code: 'InvalidSignatureException' },
  { name: 'query key repeated', make: changed({ rawQuery: 'a=1&a=1&b=' }), code: 'InvalidSignatureException' },
  { name: 'path changed', make: changed({ path: '/policies/p2' }), code: 'InvalidSignatureException' },
  {
    name: 'path decoded differently (%2F vs /)',
    make: async () => tamper(await signClient({ method: 'GET', path: '/things/a%2Fb' }), { path: '/things/a/b' }),
    code: 'InvalidSignatureException',
  },
  { name: 'method changed', make: changed({ method: 'PUT' }), code: 'InvalidSignatureException' },
  { name: 'signed header changed', make: editHeaders((h) => (h['content-type'] = 'text/plain')), code: 'InvalidSignatureException' },
  { name: 'signed header removed', make: editHeaders((h) => delete h['content-type']), code: 'InvalidSignatureException' },
  { name: 'host changed', make: editHeaders((h) => (h['host'] = 'evil.example.com')), code: 'InvalidSignatureException' },
  { name: 'x-amz-date moved by one second', make: editHeaders((h) => (h['x-amz-date'] = '20150830T123601Z')), code: 'InvalidSignatureException' },
  {
    name: 'x-amz-content-sha256 swapped for UNSIGNED-PAYLOAD',
    make: editHeaders((h) => (h['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD')),
    code: 'InvalidSignatureException',
  },
  { name: 'signature flipped in one hex digit', make: editAuth(flipLastDigit), code: 'InvalidSignatureException', message: MISMATCH },
  { name: 'signature truncated', make: editAuth((a) => a.slice(0, -2)), code: 'InvalidSignatureException' },
  {
    name: 'signature in upper case',
    make: editAuth((a) => a.replace(/Signature=(\w+)/, (_, sig: string) => `Signature=${sig.toUpperCase()}`)),
    code: 'InvalidSignatureException',
  },
  {
    name: 'SignedHeaders narrowed after signing',
    make: editAuth((a) => a.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=host;x-amz-date')),
    code: 'InvalidSignatureException',
  },
  { name: 'scope region changed', make: editAuth((a) => a.replace('/us-east-1/', '/eu-west-1/')), code: 'InvalidSignatureException' },
  { name: 'scope service changed', make: editAuth((a) => a.replace('/iot/', '/iotdata/')), code: 'InvalidSignatureException' },
  // keys
  {
    name: 'wrong secret',
    make: () => signClient({ method: 'GET', path: '/things' }, { key: { ...KEY, secretAccessKey: `${KEY.secretAccessKey}x` } }),
    code: 'InvalidSignatureException',
    message: MISMATCH,
  },
  {
    name: 'unknown access key',
    make: () => signClient({ method: 'GET', path: '/things' }, { key: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 's' } }),
    code: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  },
  // clock
  {
    name: 'signed more than 5 minutes ago',
    make: sdkLike,
    now: minutesAfter(5, 1000),
    code: 'InvalidSignatureException',
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
  },
  {
    name: 'signed more than 5 minutes in the future',
    make: sdkLike,
    now: minutesAfter(-5, -1000),
    code: 'InvalidSignatureException',
    message: 'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)',
  },
  {
    name: 'custom skew window of one minute',
    make: sdkLike,
    now: minutesAfter(1, 1000),
    maxSkewMs: 60_000,
    code: 'InvalidSignatureException',
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T123701Z - 1 min.)',
  },
  {
    name: 'presigned URL past X-Amz-Expires',
    make: () => presignClient({ method: 'GET', path: '/mqtt' }, { expiresIn: 60 }),
    now: minutesAfter(1, 1000),
    code: 'InvalidSignatureException',
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T123701Z - 1 min.)',
  },
  // missing and malformed pieces
  {
    name: 'no signature at all',
    make: async () => ({ method: 'GET', path: '/things', rawQuery: '', headers: { host: 'h' }, body: undefined }),
    code: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
  },
  { name: 'empty Authorization header', make: editAuth(() => ''), code: 'MissingAuthenticationTokenException' },
  {
    name: 'Authorization of another scheme',
    make: editAuth(() => 'Bearer eyJhbGciOi'),
    code: 'IncompleteSignatureException',
    message:
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer eyJhbGciOi",
  },
  {
    name: 'missing Credential',
    make: editAuth((a) => a.replace(/Credential=[^,]+, /, '')),
    code: 'IncompleteSignatureException',
    message: /^Authorization header requires 'Credential' parameter\. Authorization=AWS4-HMAC-SHA256 SignedHeaders=/,
  },
  {
    name: 'missing SignedHeaders',
    make: editAuth((a) => a.replace(/SignedHeaders=[^,]+, /, '')),
    code: 'IncompleteSignatureException',
    message: /^Authorization header requires 'SignedHeaders' parameter\. Authorization=/,
  },
  {
    name: 'missing Signature',
    make: editAuth((a) => a.replace(/, Signature=\w+/, '')),
    code: 'IncompleteSignatureException',
    message: /^Authorization header requires 'Signature' parameter\./,
  },
  {
    name: 'missing X-Amz-Date',
    make: editHeaders((h) => delete h['x-amz-date']),
    code: 'IncompleteSignatureException',
    message: /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=/,
  },
  {
    name: 'X-Amz-Date not in basic format',
    make: editHeaders((h) => (h['x-amz-date'] = '2015-08-30T12:36:00Z')),
    code: 'IncompleteSignatureException',
    message: "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
  },
  { name: 'X-Amz-Date not a real date', make: editHeaders((h) => (h['x-amz-date'] = '20150230T123600Z')), code: 'IncompleteSignatureException' },
  {
    name: 'scope with four elements',
    make: editAuth((a) => a.replace('/iot/', '/')),
    code: 'IncompleteSignatureException',
    message:
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
      "got 'AKIDEXAMPLE/20150830/us-east-1/aws4_request'",
  },
  {
    name: 'scope with a bad terminator',
    make: editAuth((a) => a.replace('aws4_request', 'aws4_requestx')),
    code: 'IncompleteSignatureException',
    message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requestx'.",
  },
  {
    name: 'whitespace inside the credential',
    make: editAuth((a) => a.replace('AKIDEXAMPLE/', 'AKIDEXAMPLE /')),
    code: 'IncompleteSignatureException',
    message: new RegExp(
      "^'/20150830/us-east-1/iot/aws4_request' not a valid key=value pair \\(missing equal-sign\\) in Authorization header: " +
        "'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/",
    ),
  },
  {
    name: 'SigV4a algorithm',
    make: editAuth((a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')),
    code: 'IncompleteSignatureException',
    message: "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'.",
  },
  {
    name: 'host not signed',
    make: () => signClient({ method: 'GET', path: '/things' }, { unsignableHeaders: ['host'] }),
    code: 'IncompleteSignatureException',
    message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  },
  {
    name: 'scope date differs from X-Amz-Date',
    make: editAuth((a) => a.replace('/20150830/', '/20150829/')),
    code: 'InvalidSignatureException',
    message:
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', " +
      "from '20150830T123600Z'.",
  },
  // 400s
  {
    name: 'streaming payload hash',
    make: () => {
      const headers = { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' };
      return signClient({ method: 'PUT', path: '/x', headers, body: 'x' });
    },
    code: 'InvalidRequestException',
    status: 400,
  },
  {
    name: 'both an Authorization header and a presigned query',
    make: async () => {
      const presigned = await presignClient({ method: 'GET', path: '/policies/p1' });
      return tamper(await sdkLike(), { rawQuery: presigned.rawQuery });
    },
    code: 'InvalidRequestException',
    status: 400,
  },
];

for (const c of cases) {
  test(`verifySigV4 rejects: ${c.name} → ${c.code}`, async () => {
    const options = c.maxSkewMs === undefined ? {} : { maxSkewMs: c.maxSkewMs };
    const result = await verifySigV4(await c.make(), lookup, c.now ?? SIGNED_AT, options);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, c.code, result.message);
    assert.equal(result.status, c.status ?? 403);
    if (typeof c.message === 'string') assert.equal(result.message, c.message);
    else if (c.message) assert.match(result.message, c.message);
  });
}

test('verifySigV4 checks the clock before it looks the key up', async () => {
  let lookups = 0;
  const request = await sdkLike();
  const result = await verifySigV4(request, () => (lookups++, undefined), new Date(SIGNED_AT.getTime() + 3_600_000));
  assert.equal(result.ok || result.code, 'InvalidSignatureException');
  assert.equal(lookups, 0);
});
