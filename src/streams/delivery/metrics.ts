/**
 * @module streams/delivery/metrics — Firehose's CloudWatch metrics (spec §12) as Prometheus metrics,
 * labelled by delivery stream: IncomingRecords, IncomingBytes, IncomingPutRequests, and per destination
 * (`folder` for DeliveryToS3) Records, Bytes, ObjectCount, Success (as two counters: successful and all
 * attempts; Success = their ratio) and DataFreshness; plus records dropped after the retry duration, or put
 * in the error output instead. Kept in their own prom-client registry; `/metrics` appends its text.
 */
import { Counter, Gauge, Registry } from 'prom-client';

type Label = 'stream';

export class DeliveryMetrics {
  readonly registry = new Registry();
  readonly incomingRecords: Counter<Label>;
  readonly incomingBytes: Counter<Label>;
  readonly incomingPutRequests: Counter<Label>;
  readonly deliveredRecords: Counter<Label>;
  readonly deliveredBytes: Counter<Label>;
  readonly objects: Counter<Label>;
  readonly successes: Counter<Label>;
  readonly attempts: Counter<Label>;
  readonly droppedRecords: Counter<Label>;
  readonly errorOutputRecords: Counter<Label>;

  /** `freshness` gives each stream's age in seconds of its oldest undelivered record. */
  constructor(freshness: () => ReadonlyMap<string, number>) {
    const registers = [this.registry];
    const labelNames = ['stream'] as const;
    const counter = (name: string, help: string): Counter<Label> => new Counter({ name, help, labelNames, registers });
    this.incomingRecords = counter('hako_delivery_incoming_records_total', 'Records accepted by PutRecord and PutRecordBatch (IncomingRecords)');
    this.incomingBytes = counter('hako_delivery_incoming_bytes_total', 'Bytes of records accepted (IncomingBytes)');
    this.incomingPutRequests = counter('hako_delivery_incoming_put_requests_total', 'PutRecord and PutRecordBatch calls that stored records (IncomingPutRequests)');
    this.deliveredRecords = counter('hako_delivery_to_folder_records_total', 'Records written to the object folder (DeliveryToS3.Records)');
    this.deliveredBytes = counter('hako_delivery_to_folder_bytes_total', 'Bytes written to the object folder, after compression (DeliveryToS3.Bytes)');
    this.objects = counter('hako_delivery_to_folder_objects_total', 'Objects written to the object folder (DeliveryToS3.ObjectCount)');
    this.successes = counter('hako_delivery_to_folder_success_total', 'Delivery attempts that succeeded; DeliveryToS3.Success is this over hako_delivery_to_folder_attempts_total');
    this.attempts = counter('hako_delivery_to_folder_attempts_total', 'Delivery attempts, successful or not');
    this.droppedRecords = counter('hako_delivery_records_dropped_total', 'Records given up on after the retry duration or a permanent failure');
    this.errorOutputRecords = counter('hako_delivery_records_to_error_output_total', 'Records the destination still refused after the retry duration, written to the error output instead (warehouse destinations)');
    new Gauge({
      name: 'hako_delivery_to_folder_data_freshness_seconds',
      help: 'Age of the oldest record not yet delivered (DeliveryToS3.DataFreshness); 0 when none waits',
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [stream, seconds] of freshness()) this.set({ stream }, seconds);
      },
    });
  }

  /** Prometheus text of every delivery metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
