/**
 * @module http/json-targets — the AWS JSON 1.1 protocol (EventBridge today; Kinesis and Firehose speak it
 * too): every operation is `POST /` with `X-Amz-Target: <Service>.<Operation>` and a JSON body, so one
 * route dispatches to the services registered here by target prefix.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../core/aws-error.js';
import { apiRoute } from './aws-api.js';

export type JsonOperation = (body: Readonly<Record<string, unknown>>) => unknown;

export class JsonTargets {
  readonly #services = new Map<string, Readonly<Record<string, JsonOperation>>>();

  constructor(app: FastifyInstance) {
    apiRoute(app, 'POST', '/', ({ headers, body }) => {
      const target = headers['x-amz-target'];
      if (typeof target !== 'string') throw new AwsError('InvalidRequestException', 'missing X-Amz-Target header: this endpoint takes AWS JSON 1.1 requests');
      const dot = target.indexOf('.');
      const operations = this.#services.get(target.slice(0, dot));
      const operation = dot === -1 ? undefined : operations?.[target.slice(dot + 1)];
      if (operation === undefined) throw new AwsError('InvalidRequestException', `unknown operation ${target}`);
      return operation(body);
    });
  }

  /** Serves `<prefix>.<Operation>` for each operation. */
  add(prefix: string, operations: Readonly<Record<string, JsonOperation>>): void {
    this.#services.set(prefix, operations);
  }
}
