/**
 * @module cli/client — what every client command shares: finding the running hako (`--endpoint`, or
 * `<data-dir>/ports.json`), the credentials (`<data-dir>/credentials` profile `default`, else the standard
 * AWS chain), AWS SDK clients for the IoT, Lambda and API Gateway v2 APIs, SigV4-signed calls to hako's own `/hako/…` JSON API, and
 * turning any failure into one line `<what failed>: <error type>: <message>` plus a hint.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { IoTClient } from '@aws-sdk/client-iot';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Command } from 'commander';
import { parseCredentialsFile } from '../iam/sigv4/index.js';

/** A failure to report: `hako: <message>` on stderr, then the hint, exit code 1. */
export class CliError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.hint = hint;
  }
}

export interface ConnectionFlags {
  endpoint?: string;
  dataDir?: string;
  region?: string;
  json?: boolean;
}

/** `<data-dir>/ports.json` as hako writes it (a `host` field is used when present). */
export interface Ports {
  mqtt: number;
  mqtts: number;
  http: number;
  host?: string;
}

export interface Connection {
  readonly endpoint: string;
  readonly region: string;
  /** The running hako's ports, when its ports.json was found. */
  readonly ports: Ports | undefined;
  /** Where the credentials came from, for hints. */
  readonly credentialsSource: string;
  /** `iot.send`, with a failure turned into a `CliError` naming the operation. */
  readonly send: IoTClient['send'];
  /** The same for the Lambda API. */
  readonly lambda: LambdaClient['send'];
  /** The same for the API Gateway v2 API (HTTP APIs). */
  readonly apigateway: ApiGatewayV2Client['send'];
  /** A SigV4-signed JSON call to hako's own API (`/hako/…`); `operation` names it in errors. */
  hakoApi(operation: string, method: string, apiPath: string, body?: object): Promise<Record<string, unknown>>;
  /** The same call for an answer that is text (CSV, a table): the text as sent, and the answer's headers. */
  hakoApiText(operation: string, method: string, apiPath: string, body?: object): Promise<{ text: string; headers: Headers }>;
  /** Another AWS SDK client's `send` (Kinesis, Firehose, …), configured like the others and reporting the same way. */
  sendWith<S>(make: (config: ClientConfig) => { send: S; destroy(): void }): S;
}

/** What every SDK client of the CLI is made with. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  maxAttempts: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const DEFAULT_DATA_DIR = './.hako';
const DEFAULT_REGION = 'us-east-1';
const NOT_RUNNING_HINT = 'is hako running? start it with `hako start` or pass --endpoint (or --data-dir for a hako started with another data directory)';

/** The connection options every client command takes. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', "hako's HTTP endpoint (env HAKO_ENDPOINT; default from <data-dir>/ports.json)")
    .option('--data-dir <dir>', "the running hako's data directory (env HAKO_DATA_DIR, default ./.hako)")
    .option('--region <region>', 'region to sign requests for (env HAKO_REGION, default us-east-1)')
    .option('--json', 'machine-readable output');
}

function readPorts(dataDir: string): Ports | undefined {
  const file = path.join(dataDir, 'ports.json');
  if (!existsSync(file)) return undefined;
  try {
    const ports = JSON.parse(readFileSync(file, 'utf8')) as Ports;
    if (typeof ports.http !== 'number') throw new Error('no "http" port in it');
    return ports;
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 'is hako running? it rewrites the file when it starts', { cause: error });
  }
}

/** Where to connect for a listener bound to `host`: a wildcard address means "this machine". */
function connectHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function readCredentials(dataDir: string): { credentials: { accessKeyId: string; secretAccessKey: string } | undefined; source: string } {
  const file = path.join(dataDir, 'credentials');
  if (!existsSync(file)) return { credentials: undefined, source: 'the AWS credential chain (AWS_ACCESS_KEY_ID, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE)' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
  }
  const profile = parseCredentialsFile(text).get('default');
  if (profile === undefined) throw new CliError(`${file} has no [default] profile with aws_access_key_id and aws_secret_access_key`, 'check the credentials file');
  return { credentials: profile, source: `${file} (profile default)` };
}

/** Runs `body` with a connection to hako; `what` (e.g. `certs create`) prefixes every error. */
export async function withConnection<T>(what: string, flags: ConnectionFlags, body: (connection: Connection) => Promise<T>): Promise<T> {
  const env = process.env;
  const dataDir = flags.dataDir ?? env['HAKO_DATA_DIR'] ?? DEFAULT_DATA_DIR;
  const region = flags.region ?? env['HAKO_REGION'] ?? DEFAULT_REGION;
  const ports = readPorts(dataDir);
  let endpoint = flags.endpoint ?? env['HAKO_ENDPOINT'];
  if (endpoint === undefined) {
    if (ports === undefined) throw new CliError(`${what}: cannot find a running hako: ${path.join(dataDir, 'ports.json')} does not exist`, NOT_RUNNING_HINT);
    endpoint = `http://${connectHost(ports.host)}:${ports.http}`;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CliError(`${what}: --endpoint ${endpoint} is not a URL`, 'pass it as http://HOST:PORT');
  }
  const { credentials, source } = readCredentials(dataDir);
  // The SDK warns on Node 20 about its releases after January 2027; hako pins its SDK, so on the CLI's
  // stderr (one line per failure) that is noise. An explicit setting of the variable still wins.
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // maxAttempts 1: an operator command reports the first answer instead of retrying it.
  const clientConfig: ClientConfig = { endpoint: url.href.replace(/\/$/, ''), region, maxAttempts: 1, ...(credentials === undefined ? {} : { credentials }) };
  const iot = new IoTClient(clientConfig);
  const lambdaClient = new LambdaClient(clientConfig);
  const gatewayClient = new ApiGatewayV2Client(clientConfig);
  const context: FailureContext = { what, endpoint: url.origin, credentialsSource: source };
  /** A client's `send`, with a failure turned into a `CliError` naming the operation. */
  const reporting = <S>(client: { send: S }): S =>
    (async (command: object) => {
      try {
        return await (client.send as (c: object) => Promise<unknown>).call(client, command);
      } catch (error) {
        throw failure(context, command.constructor.name.replace(/Command$/, ''), error);
      }
    }) as unknown as S;
  const send = reporting(iot);
  const lambda = reporting(lambdaClient);
  const apigateway = reporting(gatewayClient);
  const hakoApi = async (operation: string, method: string, apiPath: string, payload?: object): Promise<Record<string, unknown>> => {
    try {
      return await callHakoApi(iot, url, region, method, apiPath, payload);
    } catch (error) {
      throw failure(context, operation, error);
    }
  };
  const hakoApiText = async (operation: string, method: string, apiPath: string, payload?: object): Promise<{ text: string; headers: Headers }> => {
    try {
      return await callHakoApiText(iot, url, region, method, apiPath, payload);
    } catch (error) {
      throw failure(context, operation, error);
    }
  };
  const others: { destroy(): void }[] = [];
  const sendWith = <S>(make: (config: ClientConfig) => { send: S; destroy(): void }): S => {
    const client = make(clientConfig);
    others.push(client);
    return reporting(client);
  };
  try {
    return await body({ endpoint: url.origin, region, ports, credentialsSource: source, send, lambda, apigateway, hakoApi, hakoApiText, sendWith });
  } finally {
    iot.destroy();
    lambdaClient.destroy();
    gatewayClient.destroy();
    for (const client of others) client.destroy();
  }
}

/** A SigV4-signed request to hako's own API; the answer's status, headers and text. */
async function signedFetch(iot: IoTClient, base: URL, region: string, method: string, apiPath: string, payload?: object): Promise<{ response: Response; text: string }> {
  const url = new URL(apiPath, base);
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  // The same credentials the IoTClient resolved, whichever source they came from.
  const credentials = await iot.config.credentials();
  const signer = new SignatureV4({ service: 'iot', region, credentials, sha256: Hash.bind(null, 'sha256') });
  const headers: Record<string, string> = { host: url.host };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
  });
  const { host: _host, ...sendHeaders } = signed.headers; // fetch sets Host itself, to the same value
  const response = await fetch(url, { method, headers: sendHeaders, ...(body === undefined ? {} : { body }) });
  return { response, text: await response.text() };
}

async function callHakoApi(iot: IoTClient, base: URL, region: string, method: string, apiPath: string, payload?: object): Promise<Record<string, unknown>> {
  const { response, text } = await signedFetch(iot, base, region, method, apiPath, payload);
  let parsed: Record<string, unknown> = {};
  try {
    if (text !== '') parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    if (response.ok) throw new Error(`the answer is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.ok) return parsed;
  throw apiError(response, text, parsed);
}

async function callHakoApiText(iot: IoTClient, base: URL, region: string, method: string, apiPath: string, payload?: object): Promise<{ text: string; headers: Headers }> {
  const { response, text } = await signedFetch(iot, base, region, method, apiPath, payload);
  if (response.ok) return { text, headers: response.headers };
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not an AWS error body: the status and text say what happened
  }
  throw apiError(response, text, parsed);
}

/** An error answer as the SDKs throw them: the AWS error type as `name`, its message, the status. */
function apiError(response: Response, text: string, parsed: Record<string, unknown>): Error {
  const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? (typeof parsed['__type'] === 'string' ? parsed['__type'] : `HTTP ${response.status}`);
  const message = typeof parsed['message'] === 'string' ? parsed['message'] : text.slice(0, 200);
  return Object.assign(new Error(message), { name: type, $metadata: { httpStatusCode: response.status } });
}

interface FailureContext {
  what: string;
  endpoint: string;
  credentialsSource: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** The network error code of an SDK or fetch failure, if it is one. */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) {
      const innerCode = (inner as { code?: unknown }).code;
      if (typeof innerCode === 'string' && NETWORK_CODES.has(innerCode)) return innerCode;
    }
  }
  return undefined;
}

/** `<what>: <operation>: <type>: <message>`, with a hint for the failures an operator can fix. */
function failure(context: FailureContext, operation: string, error: unknown): CliError {
  const where = `${context.what}: ${operation}`;
  const network = networkCode(error);
  if (network !== undefined) {
    return new CliError(`${where}: ${network}: cannot reach hako at ${context.endpoint}`, NOT_RUNNING_HINT, { cause: error });
  }
  const name = (error as { name?: string }).name ?? 'Error';
  const cause = (error as { cause?: { message?: unknown } }).cause;
  const detail = typeof cause?.message === 'string' && cause.message !== '' ? ` (${cause.message})` : '';
  const message = `${((error as { message?: string }).message ?? String(error)).split('\n')[0]}${name === 'TypeError' ? detail : ''}`;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  let hint: string | undefined;
  if (status === 403 || status === 401) hint = `check the credentials file: ${context.credentialsSource} must hold an active hako access key`;
  else if (name === 'CredentialsProviderError') hint = 'no credentials found: pass --data-dir of the running hako (it writes <data-dir>/credentials), or set AWS_SHARED_CREDENTIALS_FILE';
  else if (name === 'UnknownOperationException') hint = `is ${context.endpoint} a hako endpoint, and is this hako new enough?`;
  return new CliError(`${where}: ${name}: ${message}`, hint, { cause: error });
}
