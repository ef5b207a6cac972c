/**
 * @module streams/delivery/jq — the jq subset behind Firehose's `MetadataExtraction` processor
 * (`MetadataExtractionQuery`, `JsonParsingEngine: JQ-1.6`): compile once at CreateDeliveryStream, then
 * extract one record's partition keys.
 *
 * Supported (and only these; see `parser.ts` for the grammar): object construction `{k: …, "k": …, k}`,
 * `.`, `.a.b`, `."a"`, `.[0]`, `.[-1]`, `.["a"]`, pipes `|`, the alternative `//`, parentheses, string,
 * number, true/false/null literals, and the functions `tostring`, `tonumber`, `todate`, `strftime("…")`
 * (epoch seconds, UTC), `ascii_downcase`, `ascii_upcase`. Refused with the construct named: `,`, `[]`
 * iteration, slices, `..`, `?`, array construction, arithmetic and comparison operators, `and`/`or`/`not`,
 * `if`, `reduce`, `foreach`, `try`, `def`, variables, `@formats`, string interpolation and every other
 * function.
 *
 * The query must be an object construction (its keys are the partition keys, known when it is compiled);
 * a key's value becomes the partition key as text: a string as is, numbers and booleans as jq's
 * `tostring` prints them, null (or a key the record lacks) is a missing key, an array or object is refused.
 */
import { dump, evaluate, JqRuntimeError, type JsonValue } from './evaluate.js';
import { JqSyntaxError } from './lexer.js';
import { parseQuery, type JqNode } from './parser.js';

export { JqRuntimeError, JqSyntaxError };
export type { JsonValue };

export interface ExtractionQuery {
  readonly source: string;
  /** The partition keys the query makes, in its order. */
  readonly keys: readonly string[];
  /** The keys of one parsed JSON record; throws `JqRuntimeError` (a key missing or not a scalar included). */
  extract(record: JsonValue): Record<string, string>;
}

/** Compiles a MetadataExtractionQuery; throws `JqSyntaxError` naming what is not supported. */
export function compileExtractionQuery(source: string): ExtractionQuery {
  const node: JqNode = parseQuery(source);
  if (node.kind !== 'object') throw new JqSyntaxError('the query must be an object construction, {key: expression, …}: its keys are the partition keys', 0);
  const keys = node.entries.map((entry) => entry.key);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) throw new JqSyntaxError(`the partition key '${duplicate}' is defined twice`, 0);
  return {
    source,
    keys,
    extract(record) {
      const out = evaluate(node, record) as Record<string, JsonValue>;
      const keysOf: Record<string, string> = {};
      for (const key of keys) {
        const value = out[key] ?? null;
        if (value === null) throw new JqRuntimeError(`the partition key '${key}' is null (the record has no value for it)`);
        if (typeof value === 'object') throw new JqRuntimeError(`the partition key '${key}' is ${Array.isArray(value) ? 'an array' : 'an object'}, not a string or number`);
        keysOf[key] = typeof value === 'string' ? value : dump(value);
      }
      return keysOf;
    },
  };
}
