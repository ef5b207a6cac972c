/**
 * @module gateway/responses — turns what a Lambda integration returned (the raw invocation payload) into the HTTP
 * response, or into `{ kind: 'malformed', reason }` for which the server answers the gateway's integration
 * failure (`gatewayErrorResponse('integrationFailure', flavor)`: REST 502, HTTP API 500 — spec §8.1, §8.4).
 * A function error (`X-Amz-Function-Error`) never reaches here: the server answers the same failure directly.
 *
 * Payload 1.0 (AWS "set-up-lambda-proxy-integrations", knowledge-center "malformed-502-api-gateway"): the payload
 * must be a JSON object `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}`. `statusCode` is required
 * (LocalStack defaults a missing one to 200 — spec §8.4 [LS] — but AWS's troubleshooting guide names a missing
 * statusCode as a cause of "Malformed Lambda proxy response", and that is what is applied here). REST also rejects
 * unknown top-level keys; the HTTP API 1.0 flavour ignores them. `headers` and `multiValueHeaders` are merged, the
 * multi-value list winning for a name in both (names compared case-insensitively).
 *
 * Payload 2.0 (AWS "http-api-develop-integrations-lambda"): a JSON object with `statusCode` is a structured response
 * (`cookies` become one `set-cookie` each; unknown keys are ignored; `multiValueHeaders` is merged as in 1.0).
 * Any other valid JSON is the simple form: "isBase64Encoded is false. statusCode is 200. content-type is
 * application/json. body is the function's response" — a JSON string becomes the body as is, anything else is the
 * payload's JSON text unchanged. Non-JSON is malformed.
 *
 * Both: `statusCode` is an integer 100–599 (a string of digits is tolerated, spec §8.4); header values are strings
 * (numbers and booleans are stringified, spec §8.4 [LS]); `body` is a string or absent/null; `isBase64Encoded` is a
 * boolean or absent/null; a base64 body must be valid base64.
 */

export interface HttpResponse {
  kind: 'response';
  status: number;
  headers: [string, string][];
  body: Buffer;
}

export interface MalformedResponse {
  kind: 'malformed';
  reason: string;
}

export type MappedResponse = HttpResponse | MalformedResponse;

export interface ResponseV1Options {
  flavor: 'rest' | 'http';
  /**
   * REST only: decode a base64 body (`isBase64Encoded: true`) to bytes. API Gateway does so only when the request's
   * Accept type matches `binaryMediaTypes` (spec §8.4); otherwise the client gets the base64 text. Default true.
   */
  decodeBase64?: boolean;
}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** Maps a payload 1.0 integration result. */
export function mapResponseV1(payload: Buffer | string, options: ResponseV1Options): MappedResponse {
  const parsed = parsePayload(payload);
  if (!parsed.ok) return malformed(parsed.reason);
  const value = parsed.value;
  if (!isPlainObject(value)) return malformed('the response is not a JSON object');
  if (options.flavor === 'rest') {
    const extra = Object.keys(value).filter((key) => !V1_KEYS.has(key));
    if (extra.length > 0) return malformed(`the response has unexpected field(s) ${extra.map((k) => `'${k}'`).join(', ')}`);
  }
  if (!('statusCode' in value)) return malformed("the response has no 'statusCode'");
  return mapStructured(value, options.flavor !== 'rest' || options.decodeBase64 !== false, false);
}

/** Maps a payload 2.0 integration result, structured or simple. */
export function mapResponseV2(payload: Buffer | string): MappedResponse {
  const parsed = parsePayload(payload);
  if (!parsed.ok) return malformed(parsed.reason);
  const value = parsed.value;
  if (isPlainObject(value) && 'statusCode' in value) return mapStructured(value, true, true);
  const body = typeof value === 'string' ? value : parsed.text;
  return { kind: 'response', status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body, 'utf8') };
}

type Parsed = { ok: true; value: unknown; text: string } | { ok: false; reason: string };

function parsePayload(payload: Buffer | string): Parsed {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch {
    return { ok: false, reason: 'the response is not valid JSON' };
  }
}

function mapStructured(value: Record<string, unknown>, decodeBase64: boolean, withCookies: boolean): MappedResponse {
  const status = statusOf(value.statusCode);
  if (status === undefined) return malformed(`'statusCode' ${JSON.stringify(value.statusCode)} is not an integer HTTP status`);
  const headers = headersOf(value.headers, value.multiValueHeaders);
  if (typeof headers === 'string') return malformed(headers);
  if (withCookies) {
    const cookies = value.cookies;
    if (cookies !== undefined && cookies !== null) {
      if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return malformed("'cookies' is not an array of strings");
      for (const cookie of cookies as string[]) headers.push(['set-cookie', cookie]);
    }
  }
  const base64 = value.isBase64Encoded;
  if (base64 !== undefined && base64 !== null && typeof base64 !== 'boolean') return malformed("'isBase64Encoded' is not a boolean");
  const body = value.body;
  if (body !== undefined && body !== null && typeof body !== 'string') return malformed(`'body' is a ${Array.isArray(body) ? 'array' : typeof body}, not a string`);
  const text = body ?? '';
  if (base64 === true && decodeBase64) {
    if (!isBase64(text)) return malformed("'body' is not valid base64 although 'isBase64Encoded' is true");
    return { kind: 'response', status, headers, body: Buffer.from(text, 'base64') };
  }
  return { kind: 'response', status, headers, body: Buffer.from(text, 'utf8') };
}

function statusOf(raw: unknown): number | undefined {
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{3}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(number) && number >= 100 && number <= 599 ? number : undefined;
}

/** Merged header entries, or the reason they are malformed. */
function headersOf(single: unknown, multi: unknown): [string, string][] | string {
  const entries: [string, string][] = [];
  const multiNames = new Set<string>();
  if (multi !== undefined && multi !== null) {
    if (!isPlainObject(multi)) return "'multiValueHeaders' is not an object";
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) return `'multiValueHeaders.${name}' is not an array`;
      multiNames.add(name.toLowerCase());
      for (const item of values as unknown[]) {
        const text = headerText(item);
        if (text === undefined) return `'multiValueHeaders.${name}' holds a ${describe(item)}`;
        entries.push([name, text]);
      }
    }
  }
  const singles: [string, string][] = [];
  if (single !== undefined && single !== null) {
    if (!isPlainObject(single)) return "'headers' is not an object";
    for (const [name, item] of Object.entries(single)) {
      const text = headerText(item);
      if (text === undefined) return `'headers.${name}' is a ${describe(item)}`;
      if (!multiNames.has(name.toLowerCase())) singles.push([name, text]);
    }
  }
  return [...singles, ...entries];
}

function headerText(item: unknown): string | undefined {
  return typeof item === 'string' ? item : typeof item === 'number' || typeof item === 'boolean' ? String(item) : undefined;
}

function describe(item: unknown): string {
  return item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function isBase64(text: string): boolean {
  return BASE64.test(text.replace(/[\r\n]/g, ''));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(reason: string): MalformedResponse {
  return { kind: 'malformed', reason };
}
