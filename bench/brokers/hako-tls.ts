/**
 * @module bench/brokers/hako-tls — hako's side of the tls-connect scenario: devices provisioned the way a
 * user would, through hako's AWS IoT API with the root key from `<data-dir>/credentials`.
 *
 * One thing per load slot (`hb-tls-<slot>`), each with an ACTIVE certificate from
 * CreateKeysAndCertificate attached to it and the usual thing policy: iot:Connect only on
 * `client/${iot:Connection.Thing.ThingName}`, so every CONNECT goes through hako's certificate lookup,
 * the thing-attachment check and policy evaluation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  IoTClient,
} from '@aws-sdk/client-iot';
import { parseCredentialsFile } from '../../src/iam/sigv4/index.js';
import { tlsClientId } from './bench-pki.js';
import type { TlsClientCredentials, TlsEndpoint } from './broker-handle.js';

const POLICY_NAME = 'hako-bench-thing';

/** AWS's usual thing policy: a device connects as itself and uses topics under its own name. */
function thingPolicy(arnPrefix: string): string {
  const thing = '${iot:Connection.Thing.ThingName}';
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arnPrefix}:client/${thing}` },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${arnPrefix}:topic/${thing}/*` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${arnPrefix}:topicfilter/${thing}/*` },
    ],
  });
}

/** Provisions `count` devices on the hako whose data directory is `dataDir`; returns its mqtts endpoint. */
export async function provisionTlsDevices(dataDir: string, count: number): Promise<TlsEndpoint> {
  const ports = JSON.parse(readFileSync(join(dataDir, 'ports.json'), 'utf8')) as { http: number; mqtts: number };
  const profile = parseCredentialsFile(readFileSync(join(dataDir, 'credentials'), 'utf8')).get('default');
  if (profile === undefined) throw new Error(`no [default] profile in ${dataDir}/credentials`);
  const { accessKeyId, secretAccessKey } = profile;
  const iot = new IoTClient({ endpoint: `http://127.0.0.1:${ports.http}`, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    const clients: TlsClientCredentials[] = [];
    let caCertificateId: string | undefined;
    for (let slot = 0; slot < count; slot++) {
      const thingName = tlsClientId(slot);
      const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      const certificateArn = created.certificateArn ?? '';
      if (slot === 0) {
        // arn:aws:iot:<region>:<account>:cert/<id> → the policy's resources name the same region and account.
        await iot.send(new CreatePolicyCommand({ policyName: POLICY_NAME, policyDocument: thingPolicy(certificateArn.replace(/:cert\/.*$/, '')) }));
        const described = await iot.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
        caCertificateId = described.certificateDescription?.caCertificateId;
      }
      await iot.send(new CreateThingCommand({ thingName }));
      await iot.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn }));
      await iot.send(new AttachPolicyCommand({ policyName: POLICY_NAME, target: certificateArn }));
      clients.push({ clientId: thingName, certificatePem: created.certificatePem ?? '', privateKeyPem: created.keyPair?.PrivateKey ?? '' });
    }
    const ca = await iot.send(new DescribeCACertificateCommand({ certificateId: caCertificateId }));
    const caPem = ca.certificateDescription?.certificatePem;
    if (caPem === undefined) throw new Error("hako's API did not describe the CA of its own certificates");
    return { port: ports.mqtts, caPem, clients };
  } finally {
    iot.destroy();
  }
}
