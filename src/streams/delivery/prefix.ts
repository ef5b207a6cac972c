/**
 * @module streams/delivery/prefix — Firehose's S3 prefixes and object names (spec §10; AWS's "Custom
 * Prefixes for Amazon S3 Objects"): parsing `!{namespace:value}` expressions, AWS's rules for defaults and
 * for what each prefix may contain, evaluation for one object, and the object key suffix.
 *
 * Rules applied (AWS's "semantic rules"):
 * - a `Prefix` with no `!{timestamp:…}` gets `!{timestamp:yyyy/MM/dd/HH/}` appended (so no prefix at all
 *   gives the default `yyyy/MM/dd/HH/`), unless it uses partition keys (AWS's dynamic partitioning
 *   example shows none appended);
 * - `ErrorOutputPrefix` may be absent only if `Prefix` has no expressions; then (and when it is plain text)
 *   it is `<prefix>!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH/}`; one with expressions must
 *   contain `!{firehose:error-output-type}` and is used as written;
 * - `Prefix` may not use `error-output-type`; `ErrorOutputPrefix` may not use partition keys;
 * - `!{` only opens an expression; every timestamp in one key is the same instant (the arrival of the
 *   object's oldest record); each `random-string` is a new 11-character string;
 * - an evaluated prefix is at most 512 characters.
 */
import { randomUUID } from 'node:crypto';
import { compileTimeFormat, TimeFormatError, type TimeFormat } from './time-format.js';

/**
 * What `!{firehose:error-output-type}` evaluates to. `partitioning-failed` is where AWS puts records
 * whose partition keys could not be had (seen in the AWS CDK's integration test against Firehose);
 * `activePartitionExceeded` is where AWS's buffering page sends records beyond the active-partition limit.
 * `warehouse-failed` is hako's: records the warehouse could not load (after AWS's `<destination>-failed`).
 */
export type ErrorOutputType = 'processing-failed' | 'format-conversion-failed' | 'partitioning-failed' | 'activePartitionExceeded' | 'warehouse-failed';

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'timestamp'; readonly format: TimeFormat }
  | { readonly kind: 'random-string' }
  | { readonly kind: 'error-output-type' }
  | { readonly kind: 'partition-key'; readonly source: 'query' | 'lambda'; readonly key: string };

/** One object's dynamic partitioning keys, by where they came from. */
export interface PartitionKeys {
  /** From the MetadataExtraction query: `!{partitionKeyFromQuery:k}`. */
  readonly query: Readonly<Record<string, string>>;
  /** From the transforming function's `metadata.partitionKeys`: `!{partitionKeyFromLambda:k}`. */
  readonly lambda: Readonly<Record<string, string>>;
}

export interface PrefixTemplate {
  /** The prefix as configured (after AWS's defaults were applied). */
  readonly source: string;
  readonly parts: readonly Part[];
}

export interface PrefixContext {
  /** The arrival time of the object's oldest record (epoch ms). */
  readonly arrivalMs: number;
  readonly errorOutputType?: ErrorOutputType | undefined;
  /** Dynamic partitioning keys of the object's records: `partitionKeyFromQuery` ones. */
  readonly partitionKeys?: Readonly<Record<string, string>> | undefined;
  /** `partitionKeyFromLambda` ones; when absent, those come from `partitionKeys` too. */
  readonly lambdaPartitionKeys?: Readonly<Record<string, string>> | undefined;
  /** 11 characters; AWS's look like `046b6c7f-0b`. Injected by tests. */
  readonly randomString?: (() => string) | undefined;
}

export const MAX_EVALUATED_PREFIX = 512;
const DEFAULT_TIME = '!{timestamp:yyyy/MM/dd/HH/}';
const ERROR_TYPE = '!{firehose:error-output-type}';

export class PrefixError extends Error {}

export function parsePrefix(source: string): PrefixTemplate {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('!{', i);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: source.slice(i, open) });
    const close = source.indexOf('}', open);
    if (close === -1) throw new PrefixError(`The expression starting at position ${open} in '${source}' is not closed with '}'.`);
    parts.push(expressionOf(source.slice(open + 2, close), source));
    i = close + 1;
  }
  return { source, parts };
}

function expressionOf(body: string, source: string): Part {
  const colon = body.indexOf(':');
  const namespace = colon === -1 ? body : body.slice(0, colon);
  const value = colon === -1 ? '' : body.slice(colon + 1);
  switch (namespace) {
    case 'timestamp':
      try {
        return { kind: 'timestamp', format: compileTimeFormat(value) };
      } catch (error) {
        if (error instanceof TimeFormatError) throw new PrefixError(`Invalid timestamp expression in '${source}': ${error.message}.`);
        throw error;
      }
    case 'firehose':
      if (value === 'random-string') return { kind: 'random-string' };
      if (value === 'error-output-type') return { kind: 'error-output-type' };
      throw new PrefixError(`Unknown firehose expression '!{firehose:${value}}' in '${source}': use random-string or error-output-type.`);
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      if (value === '') throw new PrefixError(`The expression '!{${body}}' in '${source}' names no partition key.`);
      return { kind: 'partition-key', source: namespace === 'partitionKeyFromQuery' ? 'query' : 'lambda', key: value };
    default:
      throw new PrefixError(`Unknown namespace '${namespace}' in '${source}': the sequence '!{' can only open !{timestamp:…}, !{firehose:…}, !{partitionKeyFromQuery:…} or !{partitionKeyFromLambda:…}.`);
  }
}

const has = (template: PrefixTemplate, kind: Part['kind']): boolean => template.parts.some((part) => part.kind === kind);
const hasExpressions = (template: PrefixTemplate): boolean => template.parts.some((part) => part.kind !== 'text');

export interface DestinationPrefixes {
  readonly prefix: PrefixTemplate;
  readonly errorOutputPrefix: PrefixTemplate;
  /** Whether the prefix uses partition keys (only with dynamic partitioning). */
  readonly partitioned: boolean;
}

/** Applies AWS's rules to a destination's `Prefix` and `ErrorOutputPrefix`; throws `PrefixError`. */
export function destinationPrefixes(prefix: string | undefined, errorOutputPrefix: string | undefined): DestinationPrefixes {
  const given = parsePrefix(prefix ?? '');
  if (has(given, 'error-output-type')) throw new PrefixError(`The '${ERROR_TYPE}' expression is only allowed in the ErrorOutputPrefix.`);
  // A partitioned prefix is used as written: AWS's dynamic partitioning example
  // (`customer_id=!{partitionKeyFromQuery:customer_id}/…/hour=…/`) delivers to exactly those folders.
  const data = has(given, 'timestamp') || has(given, 'partition-key') ? given : parsePrefix(`${given.source}${DEFAULT_TIME}`);
  let errors: PrefixTemplate;
  if (errorOutputPrefix === undefined || errorOutputPrefix === '') {
    if (hasExpressions(given)) throw new PrefixError('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.');
    errors = parsePrefix(`${given.source}${ERROR_TYPE}/${DEFAULT_TIME}`);
  } else {
    const parsed = parsePrefix(errorOutputPrefix);
    if (has(parsed, 'partition-key')) throw new PrefixError('ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions.');
    if (!hasExpressions(parsed)) errors = parsePrefix(`${parsed.source}${ERROR_TYPE}/${DEFAULT_TIME}`);
    else if (!has(parsed, 'error-output-type')) throw new PrefixError(`ErrorOutputPrefix must contain at least one '${ERROR_TYPE}' expression when it contains expressions.`);
    else errors = parsed;
  }
  return { prefix: data, errorOutputPrefix: errors, partitioned: has(data, 'partition-key') };
}

/** The partition keys a prefix uses, by where they come from (`partitionKeyFromQuery` / `…FromLambda`). */
export function partitionKeysOf(template: PrefixTemplate): Array<{ readonly source: 'query' | 'lambda'; readonly key: string }> {
  return template.parts.flatMap((part) => (part.kind === 'partition-key' ? [{ source: part.source, key: part.key }] : []));
}

export function randomString(): string {
  return randomUUID().slice(0, 11);
}

/** The prefix of one object; throws `PrefixError` if a partition key is missing or the result is too long. */
export function evaluatePrefix(template: PrefixTemplate, context: PrefixContext): string {
  let out = '';
  for (const part of template.parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'timestamp':
        out += part.format(context.arrivalMs);
        break;
      case 'random-string':
        out += (context.randomString ?? randomString)();
        break;
      case 'error-output-type':
        if (context.errorOutputType === undefined) throw new PrefixError('error-output-type evaluated for records that did not fail');
        out += context.errorOutputType;
        break;
      case 'partition-key': {
        const keys = part.source === 'lambda' && context.lambdaPartitionKeys !== undefined ? context.lambdaPartitionKeys : context.partitionKeys;
        const value = keys?.[part.key];
        if (value === undefined) throw new PrefixError(`The record has no partition key '${part.key}'.`);
        out += value;
        break;
      }
    }
  }
  if (out.length > MAX_EVALUATED_PREFIX) throw new PrefixError(`The evaluated prefix is ${out.length} characters long, over the limit of ${MAX_EVALUATED_PREFIX}.`);
  return out;
}

const suffixTime = compileTimeFormat('yyyy-MM-dd-HH-mm-ss');

/** `<stream>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid><extension>`: the part of an object key after the prefix. */
export function objectSuffix(stream: string, version: number, arrivalMs: number, extension: string, uuid: string = randomUUID()): string {
  return `${stream}-${version}-${suffixTime(arrivalMs)}-${uuid}${extension}`;
}
