/**
 * @module rules/actions/republish — `republish` (spec §4.6): the SELECT output published to a topic
 * (a substitution template; `$$` for a literal `$`, so `$$aws/things/…/shadow/update` reaches the shadow
 * service), QoS 0 or 1, and the MQTT 5 headers, every one of them templatable.
 */
import { expiryDeadline, type MessageProperties } from '../../mqtt/message.js';
import type { CompiledTemplate, EvalContext } from '../sql/index.js';
import { ActionFailure, RULE_DEPTH, type ActionFactory, type RuleMessage } from './action.js';
import { invalid, optionalString, requiredString, template } from './parameters.js';

const ACTION = 'republish';

interface HeaderTemplates {
  /** No headers at all: the common case, answered without building anything per message. */
  none?: boolean;
  payloadFormatIndicator?: CompiledTemplate;
  contentType?: CompiledTemplate;
  responseTopic?: CompiledTemplate;
  correlationData?: CompiledTemplate;
  messageExpiry?: CompiledTemplate;
  userProperties?: { key: CompiledTemplate; value: CompiledTemplate }[];
}

export const republish: ActionFactory = (parameters, { sqlVersion, services }) => {
  const topic = template(requiredString(parameters, 'topic', ACTION), 'topic', ACTION, sqlVersion);
  const qos = parameters['qos'] ?? 0;
  if (qos !== 0 && qos !== 1) throw invalid(ACTION, 'qos must be 0 or 1');
  const headers = headerTemplates(parameters['headers'], sqlVersion);
  return {
    kind: ACTION,
    resource: topic.source,
    run({ payload, context, depth }) {
      const name = topic.render(context);
      if (name === '' || name.includes('+') || name.includes('#') || name.includes('\u0000')) {
        throw new ActionFailure(`the topic ${JSON.stringify(name)} (from ${JSON.stringify(topic.source)}) is not a topic name`);
      }
      const message: RuleMessage = { topic: name, payload, qos, retain: false, properties: properties(headers, context), expiresAt: expiryOf(headers, context), origin: undefined, [RULE_DEPTH]: depth + 1 };
      services.publish(message);
    },
  };
};

function headerTemplates(value: unknown, version: Parameters<ActionFactory>[1]['sqlVersion']): HeaderTemplates {
  if (value === undefined || value === null) return { none: true };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(ACTION, 'headers must be an object');
  const given = value as Record<string, unknown>;
  const headers: HeaderTemplates = {};
  for (const field of ['payloadFormatIndicator', 'contentType', 'responseTopic', 'correlationData', 'messageExpiry'] as const) {
    const text = optionalString(given, field, ACTION);
    if (text !== undefined) headers[field] = template(text, `headers.${field}`, ACTION, version);
  }
  const userProperties = given['userProperties'];
  if (userProperties !== undefined) {
    if (!Array.isArray(userProperties)) throw invalid(ACTION, 'headers.userProperties must be a list of {key, value}');
    headers.userProperties = userProperties.map((entry: unknown, i) => {
      const pair = (entry ?? {}) as Record<string, unknown>;
      return {
        key: template(requiredString(pair, 'key', ACTION), `headers.userProperties[${i}].key`, ACTION, version),
        value: template(requiredString(pair, 'value', ACTION), `headers.userProperties[${i}].value`, ACTION, version),
      };
    });
  }
  return headers;
}

function properties(headers: HeaderTemplates, context: EvalContext): MessageProperties | undefined {
  if (headers.none === true) return undefined;
  const result: MessageProperties = {};
  const indicator = headers.payloadFormatIndicator?.render(context);
  if (indicator !== undefined) result.payloadFormatIndicator = indicator === 'UTF8_DATA';
  const contentType = headers.contentType?.render(context);
  if (contentType !== undefined && contentType !== '') result.contentType = contentType;
  const responseTopic = headers.responseTopic?.render(context);
  if (responseTopic !== undefined && responseTopic !== '') result.responseTopic = responseTopic;
  const correlation = headers.correlationData?.render(context);
  if (correlation !== undefined && correlation !== '') result.correlationData = Buffer.from(correlation, 'base64');
  if (headers.userProperties !== undefined) {
    const user: Record<string, string | string[]> = {};
    for (const { key, value } of headers.userProperties) {
      const name = key.render(context);
      const text = value.render(context);
      const existing = user[name];
      user[name] = existing === undefined ? text : Array.isArray(existing) ? [...existing, text] : [existing, text];
    }
    result.userProperties = user;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function expiryOf(headers: HeaderTemplates, context: EvalContext): number | undefined {
  const text = headers.messageExpiry?.render(context);
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0) throw new ActionFailure(`headers.messageExpiry must be a whole number of seconds, not ${JSON.stringify(text)}`);
  return expiryDeadline(seconds, Date.now());
}
