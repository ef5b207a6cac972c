/**
 * @module shadow/topics — the Device Shadow MQTT topics [spec §3.1]: recognising a request topic
 * (`$aws/things/<thing>/shadow[/name/<shadow>]/{update,get,delete}`) and building its response topics
 * (`…/update/accepted`, `…/update/delta`, …). Response topics are never requests, so the service does not
 * answer its own publishes.
 */

export type ShadowOperation = 'update' | 'get' | 'delete';
export type ShadowResponse = 'accepted' | 'rejected' | 'delta' | 'documents';

/** Which shadow a request is about; `shadowName` is absent for the classic (unnamed) shadow. */
export interface ShadowAddress {
  thingName: string;
  shadowName?: string;
}

export interface ShadowRequestTopic extends ShadowAddress {
  operation: ShadowOperation;
}

/** Thing names `[a-zA-Z0-9:_-]{1,128}`; shadow names `[$a-zA-Z0-9:_-]{1,64}` [spec §3.1; API GetThingShadow]. */
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const SHADOW_NAME = /^[$a-zA-Z0-9:_-]{1,64}$/;

export function isValidThingName(name: string): boolean {
  return THING_NAME.test(name);
}

export function isValidShadowName(name: string): boolean {
  return SHADOW_NAME.test(name);
}

const OPERATIONS: ReadonlySet<string> = new Set<ShadowOperation>(['update', 'get', 'delete']);

/**
 * Cheap pre-check for the publish hook, which sees every message, the service's own responses included
 * (they end in `/accepted`, `/delta`, … and stop at the suffix test without being split).
 */
export function mayBeShadowRequest(topic: string): boolean {
  return (
    topic.startsWith('$aws/things/') &&
    (topic.endsWith('/update') || topic.endsWith('/get') || topic.endsWith('/delete')) &&
    topic.includes('/shadow/')
  );
}

/**
 * The request a topic stands for, or undefined when it is not a shadow request (response topics, other
 * `$aws/things/…` topics, or names outside the allowed alphabet).
 */
export function parseRequestTopic(topic: string): ShadowRequestTopic | undefined {
  if (!mayBeShadowRequest(topic)) return undefined;
  const levels = topic.split('/');
  const [, , thingName, shadow] = levels;
  if (thingName === undefined || shadow !== 'shadow' || !isValidThingName(thingName)) return undefined;
  if (levels.length === 5) {
    const operation = levels[4];
    return operation !== undefined && OPERATIONS.has(operation) ? { thingName, operation: operation as ShadowOperation } : undefined;
  }
  if (levels.length === 7 && levels[4] === 'name') {
    const shadowName = levels[5];
    const operation = levels[6];
    if (shadowName === undefined || !isValidShadowName(shadowName) || operation === undefined || !OPERATIONS.has(operation)) return undefined;
    return { thingName, shadowName, operation: operation as ShadowOperation };
  }
  return undefined;
}

/** `$aws/things/<thing>/shadow` or `$aws/things/<thing>/shadow/name/<shadow>`. */
export function shadowTopicPrefix(address: ShadowAddress): string {
  const base = `$aws/things/${address.thingName}/shadow`;
  return address.shadowName === undefined ? base : `${base}/name/${address.shadowName}`;
}

/** e.g. `…/update/accepted`, `…/update/delta`, `…/get/rejected`. */
export function responseTopic(address: ShadowAddress, operation: ShadowOperation, response: ShadowResponse): string {
  return `${shadowTopicPrefix(address)}/${operation}/${response}`;
}
