/**
 * @module bench/authorization — micro-benchmark of what IoT policies cost the broker per message: the
 * cached decision a PUBLISH (iot:Publish) and each delivery (iot:Receive) look up, and the full policy
 * evaluation a cache miss runs, for a certificate with the usual thing policy attached.
 * Run: `npx tsc -p tsconfig.json && node dist/bench/authorization.js`. Not part of the test suite.
 */
import { ChangeFeed } from '../src/core/change-feed.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { arnsFor } from '../src/iam/arns.js';
import { MqttAuthorizer } from '../src/iam/authorizer.js';
import { Certificates } from '../src/iam/certificates.js';
import { Policies } from '../src/iam/policies.js';
import { createAuthority, createRootCa } from '../src/iam/pki/index.js';
import { Registry } from '../src/registry/registry.js';
import { MemoryRecordStore } from '../src/store/records.js';
import type { ClientAccess } from '../src/mqtt/auth.js';

const ROUNDS = 5_000_000;
const MISSES = 200_000;
const ARN = 'arn:aws:iot:us-east-1:000000000000';

const thingPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${ARN}:topic/\${iot:Connection.Thing.ThingName}/*`, `${ARN}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*`] },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${ARN}:topicfilter/\${iot:Connection.Thing.ThingName}/*`, `${ARN}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*`] },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/secret/*` },
  ],
});

/** A device as identity sees it: a registered ACTIVE certificate attached to thing `pi-1`, the policy attached. */
async function deviceAccess(): Promise<ClientAccess> {
  const records = new MemoryRecordStore();
  const changes = new ChangeFeed();
  const arns = arnsFor('us-east-1', '000000000000');
  const root = await createRootCa();
  const authority = await createAuthority(root.certificatePem, root.privateKeyPem);
  const registry = new Registry({ records, clock: systemClock, changes, thingArn: arns.thing });
  let policies: Policies | undefined;
  const certificates = new Certificates({
    records, authority, clock: systemClock, changes, certificateArn: arns.cert, caCertificateArn: arns.caCert,
    attachmentsOf: () => ({ policies: [], things: [] }), detachPolicies: async () => undefined, onStoreError: (error) => { throw error; },
  });
  policies = new Policies({ records, clock: systemClock, changes, checkTarget: () => undefined });
  await certificates.start();
  const { record } = await certificates.createKeysAndCertificate(true);
  await registry.createThing('pi-1');
  await registry.attachPrincipal('pi-1', arns.cert(record.certificateId));
  await policies.createPolicy('thing-policy', thingPolicy);
  await policies.attachPolicy('thing-policy', arns.cert(record.certificateId));
  const authorizer = new MqttAuthorizer({ certificates, policies, registry, changes, arns, logger: silentLogger(), anonymous: { allowed: false, policy: undefined } });
  const decision = authorizer.authenticate({ clientId: 'pi-1', username: undefined, peer: { kind: 'certificate', id: record.certificateId }, remoteAddress: '127.0.0.1:5000', cleanStart: true, hasWill: false });
  if (!decision.ok || decision.access === undefined) throw new Error(`the device was not let in: ${JSON.stringify(decision)}`);
  return decision.access;
}

/** Topics decoded from bytes, as the codec yields them (literals would be interned). */
const fromWire = (topic: string): string => Buffer.from(topic, 'utf8').toString('utf8');

function measure(label: string, rounds: number, run: (i: number) => boolean): void {
  for (let i = 0; i < Math.min(rounds, 200_000); i++) run(i); // warm-up so the JIT settles
  let allowed = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) if (run(i)) allowed++;
  const ns = Number(process.hrtime.bigint() - start) / rounds;
  console.log(`${label.padEnd(58)} ${ns.toFixed(1).padStart(8)} ns/check  (${((allowed / rounds) * 100).toFixed(0)} % allowed)`);
}

const access = await deviceAccess();
const topics = ['pi-1/humidity', 'pi-1/temperature', '$aws/things/pi-1/shadow/update', 'pi-2/humidity'].map(fromWire);
console.log(`node ${process.version}; a thing policy of 4 statements with policy variables`);
measure('iot:Publish, cached (a PUBLISH)', ROUNDS, (i) => access.allows('publish', topics[i & 3] as string));
measure('iot:Receive, cached (one delivery)', ROUNDS, (i) => access.allows('receive', topics[i & 3] as string));
// Every topic new: the cache misses each time and the whole policy is evaluated (variables included).
const fresh = Array.from({ length: MISSES + 200_000 }, (_, i) => fromWire(`pi-1/sensor-${i}/value`));
measure('iot:Publish, first time per topic (full evaluation)', MISSES, (i) => access.allows('publish', fresh[i + 200_000] as string));
