/**
 * @module iam/policy/arn — building the AWS IoT resource ARNs that policies are evaluated against.
 *
 * The name is used verbatim: a topic filter keeps its `+` and `#` (`topicfilter/a/#`), a named shadow is
 * `thing/<thing>/<shadow>`. Resource ARNs are case-sensitive.
 */

export type IotResourceKind = 'client' | 'topic' | 'topicfilter' | 'thing' | 'cert' | 'policy' | 'cacert' | 'rolealias';

/** `arn:aws:iot:<region>:<account>:<kind>/<name>` */
export function iotArn(region: string, account: string, kind: IotResourceKind, name: string): string {
  return `arn:aws:iot:${region}:${account}:${kind}/${name}`;
}
