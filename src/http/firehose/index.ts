/**
 * @module http/firehose — the Firehose API for `@aws-sdk/client-firehose` (AWS JSON 1.1,
 * `X-Amz-Target: Firehose_20150804.<Operation>`). It shares the JSON route with Kinesis, whose 8 MiB body
 * limit covers a PutRecordBatch of 4 MiB of records (~5.5 MiB once base64 and JSON wrap them).
 */
import type { Logger } from '../../core/logger.js';
import type { Delivery } from '../../streams/delivery/index.js';
import { MAX_BATCH_BYTES } from '../../streams/delivery/index.js';
import { firehoseError } from '../../streams/delivery/errors.js';
import type { JsonTargets } from '../json-targets.js';
import { readPutRecordBatchBody } from './batch-body.js';
import { recordOperations } from './record-operations.js';
import { streamOperations } from './stream-operations.js';

export function registerFirehoseOperations(targets: JsonTargets, delivery: Delivery, logger: Logger): void {
  targets.add(
    'Firehose_20150804',
    { ...streamOperations(delivery), ...recordOperations(delivery, logger) },
    (limit) => firehoseError('InvalidArgumentException', `Records size exceeds ${MAX_BATCH_BYTES} bytes limit: the request body is over ${limit} bytes.`),
    { PutRecordBatch: readPutRecordBatchBody },
  );
}
