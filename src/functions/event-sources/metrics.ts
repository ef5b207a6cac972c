/**
 * @module functions/event-sources/metrics — event source mapping metrics (spec §7.1, §12) as Prometheus
 * metrics, registered in the functions' registry so `/metrics` shows them with the others:
 * IteratorAge (age of a batch's last record when the mapping was done with it), batches by outcome,
 * records sent to functions, records given up by condition, on-failure deliveries, and batches that
 * could not reach their function (throttled or missing), labelled by function and mapping UUID.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export type BatchOutcomeLabel = 'success' | 'partial_failure' | 'function_error';
export type UnavailableLabel = 'throttled' | 'function_missing';

export class EventSourceMetrics {
  readonly iteratorAge: Gauge<'function' | 'mapping'>;
  readonly batches: Counter<'function' | 'mapping' | 'outcome'>;
  readonly records: Counter<'function' | 'mapping'>;
  readonly discarded: Counter<'function' | 'mapping' | 'condition'>;
  readonly deliveries: Counter<'function' | 'mapping' | 'result'>;
  readonly unavailable: Counter<'function' | 'mapping' | 'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.iteratorAge = new Gauge({ name: 'hako_event_source_iterator_age_milliseconds', help: 'Age of the last record of the last batch a mapping finished with, as Lambda reports IteratorAge', labelNames: ['function', 'mapping'], registers });
    this.batches = new Counter({ name: 'hako_event_source_batches_total', help: 'Batches an event source mapping invoked its function with, by outcome', labelNames: ['function', 'mapping', 'outcome'], registers });
    this.records = new Counter({ name: 'hako_event_source_records_total', help: 'Records an event source mapping sent to its function (retries counted again)', labelNames: ['function', 'mapping'], registers });
    this.discarded = new Counter({ name: 'hako_event_source_discarded_records_total', help: 'Records an event source mapping gave up (RetryAttemptsExhausted, RecordAgeExceeded)', labelNames: ['function', 'mapping', 'condition'], registers });
    this.deliveries = new Counter({ name: 'hako_event_source_on_failure_deliveries_total', help: 'On-failure records sent to a destination, by result', labelNames: ['function', 'mapping', 'result'], registers });
    this.unavailable = new Counter({ name: 'hako_event_source_unavailable_total', help: 'Batches that could not reach their function (throttled, function missing); not attempts', labelNames: ['function', 'mapping', 'reason'], registers });
  }
}
