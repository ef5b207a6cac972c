/** @module iam/arns — the ARNs of one hako installation (its configured region and account id). */
import { iotArn } from './policy/index.js';

export interface Arns {
  cert(certificateId: string): string;
  caCert(certificateId: string): string;
  policy(policyName: string): string;
  thing(thingName: string): string;
  client(clientId: string): string;
  topic(topic: string): string;
  topicFilter(filter: string): string;
  /** Any resource of this installation by its ARN's resource part, e.g. `thing/lamp/config`. */
  resource(part: string): string;
  /** The certificate id in a certificate ARN of this installation, or undefined. */
  certificateIdOf(arn: string): string | undefined;
}

export function arnsFor(region: string, account: string): Arns {
  const certPrefix = iotArn(region, account, 'cert', '');
  return {
    cert: (id) => iotArn(region, account, 'cert', id),
    caCert: (id) => iotArn(region, account, 'cacert', id),
    policy: (name) => iotArn(region, account, 'policy', name),
    thing: (name) => iotArn(region, account, 'thing', name),
    client: (id) => iotArn(region, account, 'client', id),
    topic: (topic) => iotArn(region, account, 'topic', topic),
    topicFilter: (filter) => iotArn(region, account, 'topicfilter', filter),
    resource: (part) => `arn:aws:iot:${region}:${account}:${part}`,
    certificateIdOf: (arn) => (arn.startsWith(certPrefix) && /^[0-9a-f]{64}$/.test(arn.slice(certPrefix.length)) ? arn.slice(certPrefix.length) : undefined),
  };
}
