/**
 * @module rules/sql/context — what the evaluator knows about one message: its payload, topic and
 * publisher, plus injectable clock/randomness/uuid and the hook for external functions.
 *
 * One context object per message can be shared by every rule that matches it: the payload is parsed on
 * first use and the result cached on the context (`parsed`), so a hundred rules cost one `JSON.parse`.
 */

import type { SqlValue } from './values.js';

/**
 * Supplies `get_thing_shadow`, `aws_lambda`, `get_dynamodb`, `get_secret` and `machinelearning_predict`.
 * Synchronous, like the rest of the evaluator: the engine answers from a synchronous store or a cache.
 * `args` are the evaluated arguments; return Undefined (`undefined`) when the call cannot be served.
 */
export type ExternalFunctionHook = (name: string, args: readonly SqlValue[], context: EvalContext) => SqlValue;

export interface EvalContext {
  /** The message payload as published. */
  readonly payload: Uint8Array;
  /**
   * The payload as the SQL sees it: the parsed JSON document, or the raw bytes when the payload is not
   * a JSON object or array. Filled in by the evaluator on first use; pass it to skip the parse.
   */
  parsed?: SqlValue;
  /** The topic the rule sees: for Basic Ingest, without `$aws/rules/<rule>/` (see `stripBasicIngestPrefix`). */
  readonly topic: string;
  /** MQTT client ID; `clientid()` answers `n/a` when absent (HTTPS publishes). */
  readonly clientId?: string;
  readonly principal?: string;
  /** Rules-engine time in epoch milliseconds; `Date.now()` at evaluation when absent. */
  readonly timestamp?: number;
  readonly accountId?: string;
  /** The message's trace ID; `traceid()` is Undefined when absent (not MQTT). */
  readonly traceId?: string;
  /** Source of `rand()`, uniform in [0, 1). Defaults to `Math.random`. */
  readonly random?: () => number;
  /** Source of `newuuid()`. Defaults to `crypto.randomUUID`. */
  readonly uuid?: () => string;
  readonly externals?: ExternalFunctionHook;
}

const BASIC_INGEST = /^\$aws\/rules\/([a-zA-Z0-9_]+)\/(.*)$/s;

/**
 * Splits a Basic Ingest topic `$aws/rules/<rule>/<rest>` into the rule name and the topic `topic()`
 * reports (`<rest>`) [spec §4.8]; other topics come back unchanged without a rule name.
 */
export function stripBasicIngestPrefix(topic: string): { ruleName: string | undefined; topic: string } {
  const match = BASIC_INGEST.exec(topic);
  return match === null ? { ruleName: undefined, topic } : { ruleName: match[1], topic: match[2] as string };
}

function firstNonSpace(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

/**
 * The payload as the SQL sees it [spec §4.4]. Only a JSON object or array counts as a JSON payload: AWS
 * treats a bare JSON scalar such as `80` as non-JSON (its WHERE example needs
 * `decode(encode(*,'base64'),'base64')` to read it), so scalars, text and binary stay raw bytes.
 */
export function parsePayload(payload: Uint8Array): SqlValue {
  const first = firstNonSpace(payload);
  if (first !== 123 && first !== 91) return payload; // '{' or '['
  const text = Buffer.isBuffer(payload)
    ? payload.toString('utf8')
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as SqlValue;
  } catch {
    return payload;
  }
}
