import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { verifySigV4, type SignedRequest } from '../../../src/iam/sigv4/index.js';
import { HOST, KEY, SIGNED_AT, escapeUri, lookup, signClient, type ClientRequest, type SignOptions } from './helpers.js';

interface Case {
  readonly name: string;
  readonly request: ClientRequest;
  readonly options?: SignOptions;
  /** Headers a proxy or node adds after signing. */
  readonly addedAfterSigning?: Record<string, string>;
}

const json = JSON.stringify({ policyDocument: '{"Version":"2012-10-17","Statement":[]}', tags: ['ü', '✓'] });

const cases: readonly Case[] = [
  { name: 'GET without query or body', request: { method: 'GET', path: '/things' } },
  { name: 'GET with a space in a path label', request: { method: 'GET', path: '/things/a%20b' } },
  { name: 'GET with a unicode path label', request: { method: 'GET', path: `/things/${escapeUri('温度-センサー ü')}` } },
  { name: 'GET with an encoded slash in a label', request: { method: 'GET', path: '/things/a%2Fb/shadow' } },
  { name: 'GET with reserved characters in a label', request: { method: 'GET', path: `/policies/${escapeUri("p+=,.@-_!'()*~$")}` } },
  { name: 'GET with dot segments and a trailing slash', request: { method: 'GET', path: '/things/./a/../b/' } },
  {
    name: 'query: repeated keys, empty values, reserved and unicode characters',
    request: {
      method: 'GET',
      path: '/things',
      query: { tag: ['b', 'a', 'a', ''], empty: '', q: "!'()*~ -_.;:@&=+$,/?#[]%", 'key with space': 'v', ü: '温度' },
    },
  },
  { name: 'GET with pagination query', request: { method: 'GET', path: '/certificates', query: { pageSize: '5', marker: 'a/b+c==' } } },
  {
    name: 'POST with a JSON body',
    request: { method: 'POST', path: '/policies/p1', headers: { 'content-type': 'application/json' }, body: json },
  },
  { name: 'PUT with an empty body', request: { method: 'PUT', path: '/certificates/abc', query: { newStatus: 'ACTIVE' }, body: '' } },
  { name: 'DELETE without body', request: { method: 'DELETE', path: '/things/t1', query: { expectedVersion: '3' } } },
  {
    name: 'x-amz-content-sha256 signed (what SDK v3 always sends)',
    request: { method: 'POST', path: '/policies/p1', headers: { 'content-type': 'application/json' }, body: json },
    options: { applyChecksum: true },
  },
  {
    name: 'x-amz-content-sha256 signed over an empty body',
    request: { method: 'GET', path: '/certificates' },
    options: { applyChecksum: true },
  },
  {
    name: 'UNSIGNED-PAYLOAD',
    request: { method: 'POST', path: '/topics/a', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'any bytes' },
  },
  {
    name: 'SDK v3 JSON-1.1 request with retry headers signed (kinesis)',
    request: {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.PutRecord',
        'x-amz-user-agent': 'aws-sdk-js/3.1169.0',
        'amz-sdk-invocation-id': randomUUID(),
        'amz-sdk-request': 'attempt=1; max=3',
        'content-length': '42',
      },
      body: '{"StreamName":"s","Data":"AAEC","PartitionKey":"k"}',
    },
    options: { service: 'kinesis', region: 'eu-west-1', applyChecksum: true },
  },
  {
    name: 'lambda invoke with a qualifier',
    request: {
      method: 'POST',
      path: '/2015-03-31/functions/my-fn/invocations',
      query: { Qualifier: '$LATEST' },
      headers: { 'x-amz-invocation-type': 'RequestResponse', 'x-amz-log-type': 'Tail', 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]),
    },
    options: { service: 'lambda', region: 'ap-northeast-1' },
  },
  {
    name: 'firehose',
    request: { method: 'POST', path: '/', headers: { 'x-amz-target': 'Firehose_20150804.PutRecord' }, body: '{}' },
    options: { service: 'firehose' },
  },
  {
    name: 'execute-api with a stage path',
    request: { method: 'GET', path: '/prod/items/%24x', query: { a: '1' } },
    options: { service: 'execute-api', region: 'us-west-2' },
  },
  {
    name: 'iotdata publish to a topic with encoded slashes',
    request: { method: 'POST', path: '/topics/dt%2Fsensor%2F1', query: { qos: '1' }, body: '{"t":21.5}' },
    options: { service: 'iotdata' },
  },
  {
    name: 'temporary credentials (x-amz-security-token signed)',
    request: { method: 'GET', path: '/things' },
    options: { key: { ...KEY, sessionToken: 'FwoGZXIvYXdzE//token+/=' } },
  },
  {
    name: 'user-agent signed because the client chose to (signableHeaders)',
    request: { method: 'GET', path: '/things', headers: { 'user-agent': 'aws-sdk-js/3 custom' } },
    options: { signableHeaders: ['user-agent'] },
  },
  {
    name: 'header value with inner runs of spaces and tabs',
    request: { method: 'GET', path: '/things', headers: { 'x-custom': 'a   b\t\tc' } },
  },
  {
    name: 'header left out of the signature on purpose (unsignableHeaders)',
    request: { method: 'GET', path: '/things', headers: { 'x-forwarded-for': '10.0.0.1' } },
    options: { unsignableHeaders: ['x-forwarded-for'] },
    addedAfterSigning: { 'x-forwarded-for': '10.9.9.9' },
  },
  {
    name: 'unsigned headers added after signing (user-agent, connection, content-length, proxies)',
    request: { method: 'PUT', path: '/things/t1/principals', headers: { 'x-amzn-principal': 'arn:aws:iot:us-east-1:1:cert/a' } },
    addedAfterSigning: {
      'user-agent': 'aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#20',
      connection: 'keep-alive',
      'content-length': '0',
      'x-forwarded-for': '203.0.113.7',
      'x-amzn-trace-id': 'Root=1-abc',
    },
  },
];

for (const c of cases) {
  test(`verifySigV4 accepts: ${c.name}`, async () => {
    const signed = await signClient(c.request, c.options);
    const request: SignedRequest = { ...signed, headers: { ...signed.headers, ...c.addedAfterSigning } };
    const result = await verifySigV4(request, lookup, SIGNED_AT);
    assert.deepEqual(result, {
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: c.options?.region ?? 'us-east-1',
      service: c.options?.service ?? 'iot',
    });
  });
}

test('verifySigV4 accepts a request within the skew window either way', async () => {
  const signed = await signClient({ method: 'GET', path: '/things' });
  for (const offset of [-299_000, 299_000, 0]) {
    const result = await verifySigV4(signed, lookup, new Date(SIGNED_AT.getTime() + offset));
    assert.equal(result.ok, true, `offset ${offset}`);
  }
});

test('verifySigV4 accepts repeated headers as node reports them (headersDistinct arrays)', async () => {
  const signed = await signClient({ method: 'GET', path: '/things', headers: { 'x-multi': 'a,b' } });
  const result = await verifySigV4({ ...signed, headers: { ...signed.headers, 'x-multi': [' a', 'b '] } }, lookup, SIGNED_AT);
  assert.equal(result.ok, true);
});

test('verifySigV4 accepts the wire forms of one query: lower-case escapes, %7E, bare keys', async () => {
  const signed = await signClient({ method: 'GET', path: '/things', query: { a: '~x/y', flag: '' } });
  assert.equal(signed.rawQuery, 'a=~x%2Fy&flag=');
  for (const rawQuery of ['a=%7Ex%2fy&flag=', 'flag&a=~x%2Fy']) {
    const result = await verifySigV4({ ...signed, rawQuery }, lookup, SIGNED_AT);
    assert.equal(result.ok, true, rawQuery);
  }
});

// Published vectors from AWS's SigV4 test suite: independent of @smithy/signature-v4.
const suite = { scope: 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request', host: 'example.amazonaws.com' };
for (const [name, rawQuery, signature] of [
  ['get-vanilla', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-vanilla-query-order-key-case', 'Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
] as const) {
  test(`verifySigV4 accepts the AWS test-suite vector ${name}`, async () => {
    const request: SignedRequest = {
      method: 'GET',
      path: '/',
      rawQuery,
      headers: {
        host: suite.host,
        'x-amz-date': '20150830T123600Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${suite.scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
      },
      body: undefined,
    };
    const result = await verifySigV4(request, lookup, SIGNED_AT);
    assert.deepEqual(result, { ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service' });
  });
}

test('verifySigV4 accepts the Date-header form (AWS 2011 test-suite get-vanilla, date;host signed)', async () => {
  const request: SignedRequest = {
    method: 'GET',
    path: '/',
    rawQuery: '',
    headers: {
      host: 'host.foo.com',
      date: 'Mon, 09 Sep 2011 23:36:00 GMT',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, ' +
        'Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470',
    },
    body: undefined,
  };
  const result = await verifySigV4(request, lookup, new Date('2011-09-09T23:38:00Z'));
  assert.deepEqual(result, { ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'host' });
});

test('verifySigV4 reads the host of an HTTP/2 request from :authority', async () => {
  const signed = await signClient({ method: 'GET', path: '/things' });
  const { host, ...rest } = signed.headers;
  const result = await verifySigV4({ ...signed, headers: { ...rest, ':authority': host } }, lookup, SIGNED_AT);
  assert.equal(result.ok, true);
  assert.equal(host, HOST);
});
