/**
 * @module rules/actions/kinesis — `kinesis` (spec §4.6): the SELECT output as one record of a hako data stream
 * (`streamName`), under `partitionKey` (a substitution template, e.g. `${topic()}`; a new UUID per message when
 * absent, spreading records over the shards). The record is durable in the stream before the action succeeds.
 */
import { randomUUID } from 'node:crypto';
import { ActionFailure, type ActionFactory } from './action.js';
import { invalid, optionalString, requiredString, template } from './parameters.js';

const ACTION = 'kinesis';
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

export const kinesis: ActionFactory = (parameters, { sqlVersion, services }) => {
  requiredString(parameters, 'roleArn', ACTION);
  const streamName = requiredString(parameters, 'streamName', ACTION);
  if (!STREAM_NAME.test(streamName)) throw invalid(ACTION, `streamName must be 1–128 letters, digits, '_', '.' or '-', not ${streamName}`);
  const keyText = optionalString(parameters, 'partitionKey', ACTION);
  const partitionKey = keyText === undefined ? undefined : template(keyText, 'partitionKey', ACTION, sqlVersion);
  return {
    kind: ACTION,
    resource: streamName,
    async run({ payload, context }) {
      const key = partitionKey === undefined ? randomUUID() : partitionKey.render(context);
      // Kinesis's own limits, checked here so the failure names the template that produced the key.
      if (key === '' || key.length > 256) throw new ActionFailure(`the partition key from ${JSON.stringify(keyText)} is ${key === '' ? 'empty' : `${key.length} characters`}; Kinesis takes 1–256`);
      try {
        await services.putStreamRecord(streamName, key, payload);
      } catch (error) {
        throw new ActionFailure(`putting a record into stream ${streamName} failed: ${(error as Error).message}`, { cause: error });
      }
    },
  };
};
