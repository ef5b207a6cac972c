/**
 * @module iam/sigv4/query — decodes a raw query string into the multi-map `@smithy/signature-v4` signs.
 *
 * The signer re-encodes every key and value itself, so the map holds decoded text: repeated keys become
 * arrays in arrival order (the signer sorts them), `a=` and a bare `a` both become `''` (AWS canonical form
 * `a=`), and `+` stays a literal plus, as SDKs send a space as `%20`.
 */

export type QueryMap = Record<string, string | string[]>;

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // malformed %-escape: keep it as sent; the signature check will decide
  }
}

/** `rawQuery` is everything after `?`, still percent-encoded. */
export function parseRawQuery(rawQuery: string): QueryMap {
  const query = Object.create(null) as QueryMap; // no prototype: `__proto__` is just another key
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}

/** The single value of `key`, or `undefined` when it is absent or repeated. */
export function singleValue(query: QueryMap, key: string): string | undefined {
  const value = query[key];
  return typeof value === 'string' ? value : undefined;
}

/** A shallow copy without `key`. */
export function withoutKey(query: QueryMap, key: string): QueryMap {
  const copy = Object.create(null) as QueryMap;
  for (const [name, value] of Object.entries(query)) if (name !== key) copy[name] = value;
  return copy;
}
