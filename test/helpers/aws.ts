/**
 * @module test/helpers/aws — real AWS SDK v3 clients pointed at a test hako, signed with the root key
 * hako wrote to its data directory on first start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
import type { ConfigLayer } from '../../src/core/config.js';
import { hakoForFile, type TestHako } from './hako.js';

export interface HakoLike {
  dataDir: string;
  ports: { http: number; mqtts: number; mqtt: number };
}

export function rootCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const profile = parseCredentialsFile(readFileSync(path.join(dataDir, 'credentials'), 'utf8')).get('default');
  if (profile === undefined) throw new Error(`no [default] profile in ${dataDir}/credentials`);
  return { accessKeyId: profile.accessKeyId, secretAccessKey: profile.secretAccessKey };
}

export function iotClient(hako: HakoLike, credentials = rootCredentials(hako.dataDir)): IoTClient {
  // maxAttempts 1: a refused request must show its first answer, not a retry's.
  return new IoTClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** `hakoForFile` with an IoTClient signed by the hako's root key. */
export function hakoWithIotForFile(ready: (started: { hako: TestHako; iot: IoTClient }) => void | Promise<void>, layer: ConfigLayer = {}): void {
  hakoForFile(iotClient, ({ hako, client }) => ready({ hako, iot: client }), layer);
}

export interface Device {
  thingName: string;
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  privateKeyPem: string;
  caPem: string;
}

/** The usual AWS IoT thing policy: a device may use its own client id and topics, nothing else. */
export function thingPolicy(region = 'us-east-1', account = '000000000000'): string {
  const arn = `arn:aws:iot:${region}:${account}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}:client/\${iot:Connection.Thing.ThingName}` },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive', 'iot:RetainPublish'], Resource: `${arn}:topic/\${iot:Connection.Thing.ThingName}/*` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${arn}:topicfilter/\${iot:Connection.Thing.ThingName}/*` },
    ],
  });
}

/** Creates a thing, an ACTIVE certificate attached to it, and (optionally) attaches a policy, as a user would. */
export async function provisionDevice(iot: IoTClient, thingName: string, policyName?: string): Promise<Device> {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await iot.send(new CreateThingCommand({ thingName }));
  await iot.send(new AttachThingPrincipalCommand({ thingName, principal: created.certificateArn }));
  if (policyName !== undefined) await iot.send(new AttachPolicyCommand({ policyName, target: created.certificateArn }));
  const ca = await iot.send(new DescribeCACertificateCommand({ certificateId: await caIdOf(iot, created.certificateId as string) }));
  return {
    thingName,
    certificateId: created.certificateId as string,
    certificateArn: created.certificateArn as string,
    certificatePem: created.certificatePem as string,
    privateKeyPem: created.keyPair?.PrivateKey as string,
    caPem: ca.certificateDescription?.certificatePem as string,
  };
}

async function caIdOf(iot: IoTClient, certificateId: string): Promise<string> {
  const described = await iot.send(new DescribeCertificateCommand({ certificateId }));
  return described.certificateDescription?.caCertificateId as string;
}

export async function createPolicy(iot: IoTClient, policyName: string, document: string): Promise<void> {
  await iot.send(new CreatePolicyCommand({ policyName, policyDocument: document }));
}
