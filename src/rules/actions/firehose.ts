/**
 * @module rules/actions/firehose — `firehose` (spec §4.6): the SELECT output as a record of a hako delivery stream
 * (`deliveryStreamName`), followed by `separator` when one is set (`\n`, `\t`, `\r\n` or `,`, AWS's choices). With
 * `batchMode` the output must be a JSON array of 1–500 elements, each its own record (AWS's PutRecordBatch
 * limit). The records are durable in the delivery buffer before the action succeeds.
 */
import { ActionFailure, type ActionFactory } from './action.js';
import { invalid, optionalString, requiredString } from './parameters.js';

const ACTION = 'firehose';
const SEPARATORS = new Set(['\n', '\t', '\r\n', ',']);
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const MAX_BATCH = 500;

export const firehose: ActionFactory = (parameters, { services }) => {
  requiredString(parameters, 'roleArn', ACTION);
  const name = requiredString(parameters, 'deliveryStreamName', ACTION);
  if (!STREAM_NAME.test(name)) throw invalid(ACTION, `deliveryStreamName must be 1–64 letters, digits, '_', '.' or '-', not ${name}`);
  const separator = optionalString(parameters, 'separator', ACTION);
  if (separator !== undefined && !SEPARATORS.has(separator)) throw invalid(ACTION, 'separator must be one of "\\n", "\\t", "\\r\\n" or ","');
  const batchMode = parameters['batchMode'] ?? false;
  if (typeof batchMode !== 'boolean') throw invalid(ACTION, 'batchMode must be true or false');
  const ending = separator === undefined ? undefined : Buffer.from(separator, 'utf8');
  const record = (data: Buffer): Buffer => (ending === undefined ? data : Buffer.concat([data, ending]));
  return {
    kind: ACTION,
    resource: name,
    async run({ output, payload }) {
      let records: Buffer[];
      if (!batchMode) records = [record(payload)];
      else {
        if (!Array.isArray(output)) throw new ActionFailure('batchMode needs the SELECT to produce a JSON array; each element becomes one record');
        if (output.length === 0 || output.length > MAX_BATCH) throw new ActionFailure(`batchMode takes 1–${MAX_BATCH} elements, not ${output.length}`);
        records = output.map((element) => record(Buffer.from(JSON.stringify(element), 'utf8')));
      }
      try {
        await services.putDeliveryRecords(name, records);
      } catch (error) {
        throw new ActionFailure(`putting ${records.length} record(s) into delivery stream ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    },
  };
};
