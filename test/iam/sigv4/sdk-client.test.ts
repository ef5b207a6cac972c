import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  IoTClient,
  ListCertificatesCommand,
  UpdateCertificateCommand,
  type IoTClientConfig,
} from '@aws-sdk/client-iot';
import { generateAccessKey } from '../../../src/iam/sigv4/index.js';
import { startVerifyingServer, type Seen, type VerifyingServer } from './verifying-server.js';

const key = generateAccessKey();
let server: VerifyingServer;

before(async () => {
  server = await startVerifyingServer((id) => (id === key.accessKeyId ? key.secretAccessKey : undefined));
});
after(() => server.close());

function client(config: Partial<IoTClientConfig> = {}): IoTClient {
  return new IoTClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: key, maxAttempts: 1, ...config });
}

function last(): Seen {
  const seen = server.seen.at(-1);
  assert.ok(seen, 'the server saw a request');
  return seen;
}

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail('expected the SDK call to fail');
}

test('SDK v3 IoTClient: ListCertificates (GET with query) passes verification', async () => {
  await client().send(new ListCertificatesCommand({ pageSize: 5, ascendingOrder: true }));
  const { request, result, signedHeaders } = last();
  assert.deepEqual(result, { ok: true, accessKeyId: key.accessKeyId, region: 'us-east-1', service: 'iot' });
  assert.equal(request.method, 'GET');
  assert.equal(request.path, '/certificates');
  assert.match(request.rawQuery, /pageSize=5/);
  // What the SDK signs: host, x-amz-date, x-amz-content-sha256 (always, even for GET), x-amz-user-agent; never user-agent.
  for (const name of ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-user-agent']) {
    assert.ok(signedHeaders.includes(name), name);
  }
  assert.ok(!signedHeaders.includes('user-agent'));
  assert.ok(request.headers['user-agent'], 'user-agent is sent, unsigned');
});

test('SDK v3 IoTClient: CreatePolicy (POST, JSON body, label with special characters) passes verification', async () => {
  const policyName = "p+=,.@-_ ü!'()*";
  const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [] });
  await client().send(new CreatePolicyCommand({ policyName, policyDocument }));
  const { request, result, signedHeaders } = last();
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(request.method, 'POST');
  assert.equal(decodeURIComponent(request.path), `/policies/${policyName}`);
  assert.match(request.path, /%2B%3D%2C\.%40-_%20%C3%BC%21%27%28%29%2A$/);
  for (const name of ['content-length', 'content-type', 'x-amz-content-sha256']) assert.ok(signedHeaders.includes(name), name);
});

test('SDK v3 IoTClient: UpdateCertificate (PUT with query) passes verification', async () => {
  await client().send(new UpdateCertificateCommand({ certificateId: 'a'.repeat(64), newStatus: 'REVOKED' }));
  const { request, result } = last();
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(request.method, 'PUT');
  assert.equal(request.rawQuery, 'newStatus=REVOKED');
});

test('SDK v3 IoTClient: AttachThingPrincipal (x-amzn-principal header) passes verification', async () => {
  const principal = 'arn:aws:iot:us-east-1:123456789012:cert/' + 'b'.repeat(64);
  await client().send(new AttachThingPrincipalCommand({ thingName: 'thing:1 two', principal }));
  const { request, result, signedHeaders } = last();
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(request.headers['x-amzn-principal']?.toString(), principal);
  assert.ok(signedHeaders.includes('x-amzn-principal'));
});

test('SDK v3 IoTClient: other regions and temporary credentials pass verification', async () => {
  const temporary = client({ region: 'ap-southeast-2', credentials: { ...key, sessionToken: 'token/+=' } });
  await temporary.send(new ListCertificatesCommand({}));
  const { result, signedHeaders } = last();
  assert.deepEqual(result, { ok: true, accessKeyId: key.accessKeyId, region: 'ap-southeast-2', service: 'iot' });
  assert.ok(signedHeaders.includes('x-amz-security-token'));
});

test('SDK v3 IoTClient: a wrong secret → InvalidSignatureException, HTTP 403', async () => {
  const wrong = client({ credentials: { ...key, secretAccessKey: generateAccessKey().secretAccessKey } });
  const error = await rejection(wrong.send(new ListCertificatesCommand({ pageSize: 5 })));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.$metadata.httpStatusCode, 403);
  assert.match(error.message, /^The request signature we calculated does not match the signature you provided\./);
});

test('SDK v3 IoTClient: an unknown access key → UnrecognizedClientException, HTTP 403', async () => {
  const unknown = client({ credentials: generateAccessKey() });
  const error = await rejection(unknown.send(new CreatePolicyCommand({ policyName: 'p', policyDocument: '{}' })));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.$metadata.httpStatusCode, 403);
  assert.equal(error.message, 'The security token included in the request is invalid.');
});

test('SDK v3 IoTClient: a clock 10 minutes slow → "Signature expired"; with retries the SDK corrects its clock', async () => {
  const slow = { systemClockOffset: -10 * 60_000 };
  const error = await rejection(client(slow).send(new ListCertificatesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  // With retries allowed the SDK reads the server's Date header, fixes its offset and succeeds.
  const output = await client({ ...slow, maxAttempts: 3 }).send(new ListCertificatesCommand({}));
  assert.equal(output.$metadata.httpStatusCode, 200);
  assert.equal(output.$metadata.attempts, 2);
});
