/**
 * @module streams/delivery/transform-contract — Firehose's contract with a transforming function (spec
 * §10; AWS's "Data transformation and status model"), as pure functions: splitting records into
 * invocations, the request document, and reconciling the response with the records sent.
 *
 * Request: `{invocationId, deliveryStreamArn, region, records: [{recordId, approximateArrivalTimestamp
 * (epoch ms), data (base64)}]}`. Response: `{records: [{recordId, result: Ok | Dropped | ProcessingFailed,
 * data (base64), metadata?: {partitionKeys}}]}`. Every record sent must come back exactly once:
 * - a response that is not JSON, or has no `records` array: every record fails
 *   (`Lambda.JsonProcessingException`);
 * - a record not returned (its id missing, or returned under another id): `Lambda.MissingRecordId`;
 * - a record returned twice: `Lambda.DuplicatedRecordId`;
 * - `ProcessingFailed`: `Lambda.ProcessingFailedStatus`; an unknown `result`, `Ok` without base64
 *   `data`, or `metadata.partitionKeys` that is not a map of scalars: `Lambda.JsonProcessingException`.
 * Entries naming ids that were not sent are ignored (the record they replaced is the one reported).
 */

/** 6 MB: the synchronous invocation payload limit (spec §1.5). */
export const MAX_INVOCATION_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface TransformInput {
  /** Unique within the invocation; digits, as Firehose's are. */
  readonly id: string;
  readonly data: Buffer;
  readonly arrivalMs: number;
}

export type TransformOutcome =
  | { readonly kind: 'ok'; readonly input: TransformInput; readonly data: Buffer; readonly partitionKeys?: Readonly<Record<string, string>> | undefined }
  | { readonly kind: 'dropped'; readonly input: TransformInput }
  | { readonly kind: 'failed'; readonly input: TransformInput; readonly errorCode: string; readonly errorMessage: string };

/** JSON around the records and around each record (ids and timestamps included), with room to spare. */
const ENVELOPE_BYTES = 1024;
const PER_RECORD_BYTES = 128;
const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;

/**
 * Records in invocation-sized batches, in order: each holds at most `maxDataBytes` of record data (the
 * processor's BufferSizeInMBs; a larger record goes alone) and a request of at most `maxPayloadBytes`.
 */
export function invocationBatches(records: readonly TransformInput[], maxDataBytes: number, maxPayloadBytes = MAX_INVOCATION_PAYLOAD_BYTES): TransformInput[][] {
  const batches: TransformInput[][] = [];
  let current: TransformInput[] = [];
  let data = 0;
  let payload = ENVELOPE_BYTES;
  for (const record of records) {
    const size = base64Length(record.data.length) + record.id.length + PER_RECORD_BYTES;
    if (current.length > 0 && (data + record.data.length > maxDataBytes || payload + size > maxPayloadBytes)) {
      batches.push(current);
      current = [];
      data = 0;
      payload = ENVELOPE_BYTES;
    }
    current.push(record);
    data += record.data.length;
    payload += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface TransformRequestContext {
  readonly invocationId: string;
  readonly deliveryStreamArn: string;
  readonly region: string;
}

/** The invocation's payload. Written by hand: a record's base64 needs no escaping, and ids are digits. */
export function transformRequest(context: TransformRequestContext, records: readonly TransformInput[]): Buffer {
  const head = `{"invocationId":${JSON.stringify(context.invocationId)},"deliveryStreamArn":${JSON.stringify(context.deliveryStreamArn)},"region":${JSON.stringify(context.region)},"records":[`;
  const body = records.map((record) => `{"recordId":${JSON.stringify(record.id)},"approximateArrivalTimestamp":${record.arrivalMs},"data":"${record.data.toString('base64')}"}`).join(',');
  return Buffer.from(`${head}${body}]}`);
}

const PARSE_MESSAGE = 'There was an error parsing returned records from the Lambda function. Ensure that the returned records follow the status model required by Firehose.';
const MISSING_MESSAGE = 'One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.';
const DUPLICATED_MESSAGE = 'Multiple records were returned with the same record Id. Ensure that the Lambda function returns unique record Ids for each record.';
const PROCESSING_FAILED_MESSAGE = 'ProcessingFailed status set for record';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const fail = (input: TransformInput, errorCode: string, errorMessage: string): TransformOutcome => ({ kind: 'failed', input, errorCode, errorMessage });
const jsonFailure = (input: TransformInput, detail: string): TransformOutcome => fail(input, 'Lambda.JsonProcessingException', `${PARSE_MESSAGE} (${detail})`);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each record sent, in order, with what the function's response made of it. */
export function reconcileResponse(sent: readonly TransformInput[], payload: Buffer): TransformOutcome[] {
  let response: unknown;
  try {
    response = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return sent.map((input) => jsonFailure(input, `the response is not JSON: ${(error as Error).message}`));
  }
  if (!isObject(response) || !Array.isArray(response.records)) return sent.map((input) => jsonFailure(input, 'the response has no records array'));
  const byId = new Map(sent.map((input) => [input.id, input]));
  const outcomes = new Map<string, TransformOutcome>();
  for (const entry of response.records as unknown[]) {
    if (!isObject(entry) || typeof entry.recordId !== 'string') continue; // unattributable: its record is reported missing
    const input = byId.get(entry.recordId);
    if (input === undefined) continue;
    outcomes.set(input.id, outcomes.has(input.id) ? fail(input, 'Lambda.DuplicatedRecordId', DUPLICATED_MESSAGE) : outcomeOf(input, entry));
  }
  return sent.map((input) => outcomes.get(input.id) ?? fail(input, 'Lambda.MissingRecordId', MISSING_MESSAGE));
}

function outcomeOf(input: TransformInput, entry: Record<string, unknown>): TransformOutcome {
  switch (entry.result) {
    case 'Dropped':
      return { kind: 'dropped', input };
    case 'ProcessingFailed':
      return fail(input, 'Lambda.ProcessingFailedStatus', PROCESSING_FAILED_MESSAGE);
    case 'Ok': {
      const { data } = entry;
      if (typeof data !== 'string' || data.length % 4 === 1 || !BASE64.test(data)) return jsonFailure(input, `record ${input.id}: data must be base64 text`);
      const keys = partitionKeysOf(entry.metadata);
      if (keys === 'invalid') return jsonFailure(input, `record ${input.id}: metadata.partitionKeys must map names to strings`);
      return { kind: 'ok', input, data: Buffer.from(data, 'base64'), partitionKeys: keys };
    }
    default:
      return jsonFailure(input, `record ${input.id}: result must be Ok, Dropped or ProcessingFailed, not ${JSON.stringify(entry.result ?? null)}`);
  }
}

/** `metadata.partitionKeys`: strings kept, numbers and booleans as text, nulls left out (a missing key). */
function partitionKeysOf(metadata: unknown): Record<string, string> | undefined | 'invalid' {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isObject(metadata)) return 'invalid';
  const keys = metadata.partitionKeys;
  if (keys === undefined || keys === null) return undefined;
  if (!isObject(keys)) return 'invalid';
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(keys)) {
    if (value === null) continue;
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else return 'invalid';
  }
  return out;
}
