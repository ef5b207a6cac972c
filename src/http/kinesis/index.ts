/**
 * @module http/kinesis — the Kinesis Data Streams API for `@aws-sdk/client-kinesis` (AWS JSON 1.1,
 * `X-Amz-Target: Kinesis_20131202.<Operation>`, every error a 400).
 */
import type { Streams } from '../../streams/index.js';
import { kinesisError } from '../../streams/errors.js';
import { MAX_REQUEST_BYTES } from '../../streams/writer.js';
import type { JsonTargets } from '../json-targets.js';
import { recordOperations } from './record-operations.js';
import { streamOperations } from './stream-operations.js';

/**
 * The JSON route's body limit: a PutRecords of 5 MiB of records is ~6.7 MiB once base64 and JSON wrap
 * it (500 partition keys and hash keys included), above the server's 6 MB default.
 */
export const KINESIS_BODY_LIMIT = 8 * 1024 * 1024;

export function registerKinesisOperations(targets: JsonTargets, streams: Streams, now: () => number): void {
  targets.add('Kinesis_20131202', { ...streamOperations(streams, now), ...recordOperations(streams) }, (limit) =>
    kinesisError('InvalidArgumentException', `Records size exceeds ${MAX_REQUEST_BYTES} bytes: the request body is over ${limit} bytes.`),
  );
}
