/**
 * @module test/iam/iot-api-auth.test — SigV4 on hako's HTTP APIs: unsigned, mis-signed and tampered requests
 * are refused the way AWS refuses them, access keys made through `/hako/access-keys` work until
 * deactivated, and the public routes, 404s and request ids behave.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreatePolicyCommand, GetPolicyCommand, IoTClient, ListCertificatesCommand, ListPoliciesCommand, type IoTClientConfig } from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { iotClient, rootCredentials } from '../helpers/aws.js';
import { rejectsWithAws, signedFetch, signedJson, type Credentials } from '../helpers/iot-api.js';

let hako: TestHako;
let iot: IoTClient;
let root: Credentials;
const clients: IoTClient[] = [];

before(async () => {
  hako = await startTestHako();
  iot = iotClient(hako);
  root = rootCredentials(hako.dataDir);
});

after(async () => {
  iot.destroy();
  for (const client of clients) client.destroy();
  await hako.close();
});

const base = (): string => `http://127.0.0.1:${hako.ports.http}`;

function clientWith(credentials: Credentials, extra: Partial<IoTClientConfig> = {}): IoTClient {
  const client = new IoTClient({ endpoint: base(), region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
  clients.push(client);
  return client;
}

async function refusedSignatures(): Promise<number> {
  const response = await fetch(`${base()}/metrics`);
  assert.equal(response.status, 200);
  const line = (await response.text()).split('\n').find((l) => l.startsWith('hako_http_signatures_refused_total '));
  assert.ok(line !== undefined, 'the counter is exported');
  return Number(line.split(' ')[1]);
}

const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });

async function policyExists(policyName: string): Promise<boolean> {
  const names = ((await iot.send(new ListPoliciesCommand({}))).policies ?? []).map((p) => p.policyName);
  return names.includes(policyName);
}

test('a request without a signature is a 403 MissingAuthenticationTokenException with a JSON message', async () => {
  const refused = await refusedSignatures();
  for (const [method, path, body] of [['GET', '/certificates', undefined], ['POST', '/policies/unsigned-policy', JSON.stringify({ policyDocument: policy })]] as const) {
    const response = await fetch(`${base()}${path}`, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-ErrorType'), 'MissingAuthenticationTokenException');
    assert.match(response.headers.get('x-amzn-RequestId') ?? '', /\S/);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const json = (await response.json()) as { message?: unknown };
    assert.equal(typeof json.message, 'string');
    assert.match(json.message as string, /Missing Authentication Token/);
  }
  assert.equal(await policyExists('unsigned-policy'), false, 'the unsigned CreatePolicy did nothing');
  assert.equal(await refusedSignatures(), refused + 2, 'both refusals are counted on /metrics');
});

test('a wrong secret is InvalidSignatureException, an unknown key id UnrecognizedClientException, both 403 and counted', async () => {
  const refused = await refusedSignatures();
  const wrongSecret = clientWith({ accessKeyId: root.accessKeyId, secretAccessKey: `${root.secretAccessKey.slice(0, -1)}${root.secretAccessKey.endsWith('A') ? 'B' : 'A'}` });
  await rejectsWithAws(wrongSecret.send(new ListCertificatesCommand({})), 'InvalidSignatureException', { status: 403, message: /signature/i });
  const unknownKey = clientWith({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: root.secretAccessKey });
  await rejectsWithAws(unknownKey.send(new ListCertificatesCommand({})), 'UnrecognizedClientException', { status: 403 });
  // A request signed 20 minutes ago is outside AWS's 5-minute window.
  const stale = clientWith(root, { systemClockOffset: -20 * 60_000 });
  await rejectsWithAws(stale.send(new ListCertificatesCommand({})), 'InvalidSignatureException', { status: 403, message: /expired/i });
  assert.equal(await refusedSignatures(), refused + 3);
  assert.ok(Array.isArray((await iot.send(new ListCertificatesCommand({}))).certificates), 'the right key still works');
});

test('a request changed after it was signed (body, signed header or query) is InvalidSignatureException', async () => {
  const refused = await refusedSignatures();
  type Tamper = (request: { headers: Record<string, string>; body?: unknown; query?: Record<string, unknown> }) => void;
  const tamperingClient = (tamper: Tamper): IoTClient => {
    const client = clientWith(root);
    // finalizeRequest/low runs after the SDK's signing middleware, just before the request is sent.
    client.middlewareStack.add(
      (next) => async (args) => {
        tamper(args.request as Parameters<Tamper>[0]);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamperAfterSigning' },
    );
    return client;
  };
  // Same length, so only the signature can tell: the document now allows iot:Publish instead of iot:Connect.
  const swapBody = tamperingClient((request) => {
    const body = request.body as string | Uint8Array;
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    assert.ok(text.includes('iot:Connect'));
    request.body = text.replace('iot:Connect', 'iot:Publish');
  });
  await rejectsWithAws(swapBody.send(new CreatePolicyCommand({ policyName: 'tampered-body', policyDocument: policy })), 'InvalidSignatureException', { status: 403 });
  assert.equal(await policyExists('tampered-body'), false);

  const changeHeader = tamperingClient((request) => {
    assert.ok('content-type' in request.headers);
    request.headers['content-type'] = 'application/json; charset=latin1';
  });
  await rejectsWithAws(changeHeader.send(new CreatePolicyCommand({ policyName: 'tampered-header', policyDocument: policy })), 'InvalidSignatureException', { status: 403 });
  assert.equal(await policyExists('tampered-header'), false);

  const changeQuery = tamperingClient((request) => {
    request.query = { ...request.query, pageSize: '2' };
  });
  await rejectsWithAws(changeQuery.send(new ListCertificatesCommand({ pageSize: 1 })), 'InvalidSignatureException', { status: 403 });

  // Signed by hand with @smithy/signature-v4, then the body swapped before fetch sends it.
  const response = await signedFetch(hako, 'POST', '/policies/tampered-fetch', {
    body: JSON.stringify({ policyDocument: policy }),
    afterSigning: (request) => void (request.body = JSON.stringify({ policyDocument: policy.replace('Connect', 'Publish') })),
  });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('x-amzn-ErrorType'), 'InvalidSignatureException');
  assert.equal(await policyExists('tampered-fetch'), false);
  // The same request untampered goes through: the hand signer is right, so the refusals above are about the changes.
  const untouched = await signedFetch(hako, 'POST', '/policies/tampered-fetch', { body: JSON.stringify({ policyDocument: policy }) });
  assert.equal(untouched.status, 200, await untouched.text());
  assert.equal(await refusedSignatures(), refused + 4);
});

interface KeyListing {
  accessKeys: Array<{ accessKeyId: string; userName: string; status: string; createDate: number; secretAccessKey?: string }>;
}

test('a key created through POST /hako/access-keys works; once Inactive it is refused; the last active key stays', async () => {
  const before = Date.now();
  const { accessKey } = await signedJson<{ accessKey: { accessKeyId: string; secretAccessKey: string; status: string; userName: string; createDate: number } }>(hako, 'POST', '/hako/access-keys', { userName: 'ci' });
  assert.match(accessKey.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.match(accessKey.secretAccessKey, /^\S{40}$/);
  assert.equal(accessKey.status, 'Active');
  assert.equal(accessKey.userName, 'ci');
  assert.ok(accessKey.createDate * 1000 >= before - 1000 && accessKey.createDate * 1000 <= Date.now() + 1000, 'createDate is epoch seconds, now');
  const ci = clientWith({ accessKeyId: accessKey.accessKeyId, secretAccessKey: accessKey.secretAccessKey });
  await ci.send(new CreatePolicyCommand({ policyName: 'made-by-ci', policyDocument: policy }));
  assert.equal((await iot.send(new GetPolicyCommand({ policyName: 'made-by-ci' }))).policyName, 'made-by-ci');

  const listing = await signedJson<KeyListing>(hako, 'GET', '/hako/access-keys');
  assert.deepEqual(listing.accessKeys.map((k) => k.accessKeyId).sort(), [root.accessKeyId, accessKey.accessKeyId].sort());
  assert.ok(listing.accessKeys.every((k) => k.secretAccessKey === undefined), 'listings never show a secret');
  assert.ok(!JSON.stringify(listing).includes(accessKey.secretAccessKey));

  await signedJson(hako, 'PATCH', `/hako/access-keys/${accessKey.accessKeyId}`, { status: 'Inactive' });
  await rejectsWithAws(ci.send(new ListCertificatesCommand({})), 'UnrecognizedClientException', { status: 403 });
  assert.equal((await signedJson<KeyListing>(hako, 'GET', '/hako/access-keys')).accessKeys.find((k) => k.accessKeyId === accessKey.accessKeyId)?.status, 'Inactive');
  const withInactiveKey = await signedFetch(hako, 'PATCH', `/hako/access-keys/${accessKey.accessKeyId}`, { body: JSON.stringify({ status: 'Active' }), credentials: accessKey });
  assert.equal(withInactiveKey.status, 403, 'an inactive key cannot reactivate itself');

  // root is now the only active key: it may be neither deactivated nor deleted.
  for (const [method, body] of [['PATCH', { status: 'Inactive' }], ['DELETE', undefined]] as const) {
    const response = await signedFetch(hako, method, `/hako/access-keys/${root.accessKeyId}`, { body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-ErrorType'), 'InvalidRequestException');
    assert.match(((await response.json()) as { message: string }).message, /last active/);
  }
  assert.ok(Array.isArray((await iot.send(new ListCertificatesCommand({}))).certificates), 'root still works');

  const badStatus = await signedFetch(hako, 'PATCH', `/hako/access-keys/${accessKey.accessKeyId}`, { body: JSON.stringify({ status: 'Sleeping' }) });
  assert.equal(badStatus.headers.get('x-amzn-ErrorType'), 'InvalidRequestException');
  const unknown = await signedFetch(hako, 'PATCH', '/hako/access-keys/AKIANOSUCHKEY0000000', { body: JSON.stringify({ status: 'Active' }) });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('x-amzn-ErrorType'), 'ResourceNotFoundException');

  await signedJson(hako, 'PATCH', `/hako/access-keys/${accessKey.accessKeyId}`, { status: 'Active' });
  assert.ok(Array.isArray((await ci.send(new ListCertificatesCommand({}))).certificates), 'reactivated, the key works again');
  // With two active keys, root may go; then ci is the last one.
  await signedJson(hako, 'PATCH', `/hako/access-keys/${root.accessKeyId}`, { status: 'Inactive' }, accessKey);
  await rejectsWithAws(iot.send(new ListCertificatesCommand({})), 'UnrecognizedClientException', { status: 403 });
  const lastDelete = await signedFetch(hako, 'DELETE', `/hako/access-keys/${accessKey.accessKeyId}`, { credentials: accessKey });
  assert.equal(lastDelete.headers.get('x-amzn-ErrorType'), 'InvalidRequestException');
  await signedJson(hako, 'PATCH', `/hako/access-keys/${root.accessKeyId}`, { status: 'Active' }, accessKey);
  await signedJson(hako, 'DELETE', `/hako/access-keys/${accessKey.accessKeyId}`);
  await rejectsWithAws(ci.send(new ListCertificatesCommand({})), 'UnrecognizedClientException', { status: 403 });
  assert.deepEqual((await signedJson<KeyListing>(hako, 'GET', '/hako/access-keys')).accessKeys.map((k) => k.accessKeyId), [root.accessKeyId]);
});

test('/healthz and /metrics need no signature; an unknown path is a 404 UnknownOperationException', async () => {
  const health = await fetch(`${base()}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const metrics = await fetch(`${base()}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(await metrics.text(), /^hako_http_signatures_refused_total \d+$/m);

  const refused = await refusedSignatures();
  for (const [method, path] of [['GET', '/no-such-operation'], ['POST', '/things/x/y/z']] as const) {
    const response = await signedFetch(hako, method, path);
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.equal(response.headers.get('x-amzn-ErrorType'), 'UnknownOperationException');
    assert.match(response.headers.get('x-amzn-RequestId') ?? '', /\S/);
    assert.match(((await response.json()) as { message: string }).message, /no operation/);
  }
  assert.equal(await refusedSignatures(), refused, 'correctly signed requests are not counted as refused');
});

test('every response carries its own x-amzn-RequestId', async () => {
  const ids: string[] = [];
  const success = await iot.send(new ListCertificatesCommand({}));
  ids.push(success.$metadata.requestId ?? '');
  ids.push((await rejectsWithAws(iot.send(new GetPolicyCommand({ policyName: 'nope' })), 'ResourceNotFoundException')).$metadata.requestId ?? '');
  for (const response of [
    await fetch(`${base()}/healthz`),
    await fetch(`${base()}/metrics`),
    await fetch(`${base()}/certificates`),
    await signedFetch(hako, 'GET', '/unknown'),
    await signedFetch(hako, 'POST', '/policies/bad-json', { body: '{not json' }),
    await signedFetch(hako, 'GET', '/certificates/%E0%A4%A'),
  ]) {
    await response.arrayBuffer();
    ids.push(response.headers.get('x-amzn-RequestId') ?? '');
  }
  for (const id of ids) assert.match(id, /\S/);
  assert.equal(new Set(ids).size, ids.length, 'request ids are unique');
});

test('a body sent as UNSIGNED-PAYLOAD is refused (403 InvalidSignatureException); a GET without a body may use it', async () => {
  const unsigned = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const create = await signedFetch(hako, 'POST', '/policies/unsigned-payload', { body: JSON.stringify({ policyDocument: policy }), headers: unsigned });
  assert.equal(create.status, 403);
  assert.equal(create.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  assert.match(((await create.json()) as { message: string }).message, /UNSIGNED-PAYLOAD is not accepted/);
  assert.equal(await policyExists('unsigned-payload'), false);
  const list = await signedFetch(hako, 'GET', '/policies', { headers: unsigned });
  assert.equal(list.status, 200);
});
