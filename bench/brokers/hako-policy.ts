/**
 * @module bench/brokers/hako-policy — hako with a realistic IoT policy on every client, to measure what
 * authorization costs on the hot path (issue: identity and access; target: within 10 % of `hako`).
 *
 * The load generator connects anonymously over TCP, so the policy is hako's `iam.anonymousPolicy`: the
 * same engine, cache and checks a certificate's attached policies go through (iot:Connect at CONNECT,
 * iot:Publish per PUBLISH, iot:Subscribe per SUBSCRIBE, iot:Receive per delivery), with a policy variable,
 * a deny statement and resources that do not match, as a fleet policy has.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerHandle } from './broker-handle.js';
import { HAKO_REGION, hakoVersion, startHakoVariant } from './hako.js';

const ARN = `arn:aws:iot:${HAKO_REGION}:000000000000`;

/**
 * Every bench topic is under `hako-bench/`; client ids start with `hb-`, except the shadow scenarios'
 * things `bench-<i>`, which use only their own shadow topics, as a device does.
 */
export const benchPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ConnectAsFleetMember', Effect: 'Allow', Action: 'iot:Connect', Resource: [`${ARN}:client/hb-*`, `${ARN}:client/bench-*`] },
    {
      Sid: 'Telemetry',
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: [`${ARN}:topic/$aws/things/\${iot:ClientId}/shadow/*`, `${ARN}:topic/hako-bench/*`],
    },
    {
      Sid: 'SubscribeTelemetry',
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [`${ARN}:topicfilter/$aws/things/\${iot:ClientId}/shadow/*`, `${ARN}:topicfilter/hako-bench/*`],
    },
    { Sid: 'NoAdminTopics', Effect: 'Deny', Action: ['iot:Publish', 'iot:Subscribe'], Resource: [`${ARN}:topic/hako-bench/admin/*`, `${ARN}:topicfilter/hako-bench/admin/*`] },
  ],
};

export async function startHakoWithPolicy(): Promise<BrokerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'hako-bench-policy-'));
  const config = join(dir, 'hako.yaml');
  writeFileSync(config, JSON.stringify({ iam: { anonymousPolicy: benchPolicy } })); // JSON is YAML
  const handle = await startHakoVariant('hako-policy', `hako ${hakoVersion()} + policy`, ['--config', config]).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...handle,
    stop: async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
