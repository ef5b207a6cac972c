/**
 * @module http/json-targets — the AWS JSON 1.1 protocol (EventBridge today; Kinesis and Firehose speak it
 * too): every operation is `POST /` with `X-Amz-Target: <Service>.<Operation>` and a JSON body, so one
 * route dispatches to the services registered here by target prefix.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../core/aws-error.js';
import { parseJsonBody, rawBodyRoute } from './aws-api.js';

export type JsonOperation = (body: Readonly<Record<string, unknown>>) => unknown;

/**
 * A shortcut past `JSON.parse` for one operation's hot request shape: the request structure read from the
 * raw bytes, or `undefined` for the general path. What it returns must be what the operation would make of
 * the parsed body (values may be richer types the operation knows, never different data).
 */
export type BodyReader = (body: Buffer) => Readonly<Record<string, unknown>> | undefined;

/** The error for a body over the route's limit, per service (Kinesis's PutRecords has its own). */
export type TooLarge = (limit: number) => AwsError;

export class JsonTargets {
  readonly #services = new Map<string, Readonly<Record<string, JsonOperation>>>();
  readonly #tooLarge = new Map<string, TooLarge>();
  /** By full target (`Service.Operation`). */
  readonly #readers = new Map<string, BodyReader>();

  /**
   * `bodyLimit` is the route's, shared by every service on it, so it is the largest any of them needs
   * (Kinesis's PutRecords: 5 MiB of records, base64 in JSON); services check their own limits too.
   */
  constructor(app: FastifyInstance, bodyLimit?: number) {
    const tooLarge = (limit: number, headers: { [name: string]: string | string[] | undefined }): AwsError => {
      const target = headers['x-amz-target'];
      const service = typeof target === 'string' ? this.#tooLarge.get(target.slice(0, target.indexOf('.'))) : undefined;
      return service?.(limit) ?? new AwsError('InvalidRequestException', `the request body is larger than ${limit} bytes`);
    };
    rawBodyRoute(app, 'POST', '/', ({ headers, body }) => {
      const target = headers['x-amz-target'];
      if (typeof target !== 'string') throw new AwsError('InvalidRequestException', 'missing X-Amz-Target header: this endpoint takes AWS JSON 1.1 requests');
      const dot = target.indexOf('.');
      const operations = this.#services.get(target.slice(0, dot));
      const operation = dot === -1 ? undefined : operations?.[target.slice(dot + 1)];
      if (operation === undefined) throw new AwsError('InvalidRequestException', `unknown operation ${target}`);
      return operation(this.#readers.get(target)?.(body) ?? parseJsonBody(body));
    }, undefined, bodyLimit === undefined ? {} : { bodyLimit, tooLarge });
  }

  /** Serves `<prefix>.<Operation>` for each operation. */
  add(prefix: string, operations: Readonly<Record<string, JsonOperation>>, tooLarge?: TooLarge, readers: Readonly<Record<string, BodyReader>> = {}): void {
    this.#services.set(prefix, operations);
    if (tooLarge !== undefined) this.#tooLarge.set(prefix, tooLarge);
    for (const [operation, reader] of Object.entries(readers)) this.#readers.set(`${prefix}.${operation}`, reader);
  }
}
