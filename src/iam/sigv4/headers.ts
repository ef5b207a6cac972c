/**
 * @module iam/sigv4/headers — reading request headers the way the canonical request needs them.
 */

export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

/** One header's value; repeated headers are trimmed and joined with `,` (SigV4's canonical form). */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name] ?? (name === 'host' ? headers[':authority'] : undefined); // HTTP/2 has no Host
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map((v) => v.trim()).join(',') : value;
}

/** The headers named in SignedHeaders that the request actually carries, and nothing else. */
export function pickSignedHeaders(headers: HeaderMap, signedHeaders: readonly string[]): Record<string, string> {
  const picked = Object.create(null) as Record<string, string>;
  for (const name of signedHeaders) {
    const value = headerValue(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
