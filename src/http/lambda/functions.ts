/**
 * @module http/lambda/functions — the Lambda API's function operations on their AWS REST paths (spec §1.7)
 * for `@aws-sdk/client-lambda` with `endpoint` set to hako: Create/Get/List/Delete functions, code and
 * configuration updates, PublishVersion and ListVersionsByFunction, and Invoke (spec §1.2).
 *
 * Code comes as `Code.ZipFile` (base64 in the JSON body, up to AWS's 50 MB) or, for development, as
 * `Code: {S3Bucket: "hot-reload", S3Key: "/absolute/dir"}` (LocalStack's convention): the directory is used
 * in place. Other S3 locations are refused with a message saying so; hako has no S3.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { HOT_RELOAD_BUCKET, MAX_ZIP_BYTES, type CodeStore, type StoredCode } from '../../functions/code-store.js';
import { MAX_SYNC_PAYLOAD_BYTES, type InvocationType, type Invoker } from '../../functions/invoker.js';
import { parseFunctionReference, type FunctionArns } from '../../functions/names.js';
import type { AsyncQueue } from '../../functions/async-queue.js';
import type { EnvironmentPool } from '../../functions/pool.js';
import type { FunctionRegistry, FunctionSettings } from '../../functions/registry.js';
import { codeLocation, functionConfiguration } from '../../functions/shapes.js';
import { ApiResponse, apiRoute, optionalInteger, rawBodyRoute, type ApiRequest } from '../aws-api.js';

export interface LambdaApiServices {
  registry: FunctionRegistry;
  codeStore: CodeStore;
  pool: EnvironmentPool;
  invoker: Invoker;
  asyncQueue: AsyncQueue;
  arns: FunctionArns;
}

const BASE = '/2015-03-31/functions';
/** A 50 MB zip is ~67 MB of base64, plus the rest of the JSON. */
const CODE_BODY_LIMIT = Math.ceil((MAX_ZIP_BYTES * 4) / 3) + 1024 * 1024;
const MAX_LIST_ITEMS = 50;

export function registerFunctionRoutes(app: FastifyInstance, services: LambdaApiServices): void {
  const { registry, codeStore, pool, invoker, asyncQueue, arns } = services;
  const codeLimits = { bodyLimit: CODE_BODY_LIMIT, tooLarge: (limit: number) => new AwsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the CreateFunction operation`, { fields: { Type: 'User' } }) };
  const configurationOf = (name: string, qualifier: string | undefined): Record<string, unknown> => {
    const { record, version } = registry.resolve(parseFunctionReference(name, qualifier), arns.function);
    return functionConfiguration(record.name, version, arns);
  };

  apiRoute(app, 'POST', BASE, async ({ body }) => {
    const code = storedCode(codeStore, body.Code);
    const { record, version } = await registry.create(body.FunctionName, settingsOf(body), code, body.Publish === true);
    return new ApiResponse(201, functionConfiguration(record.name, version, arns));
  }, codeLimits);

  apiRoute(app, 'GET', BASE, ({ query }) => {
    const all = registry.list();
    const start = query.Marker === undefined ? 0 : Math.max(0, all.findIndex((r) => r.name === query.Marker) + 1);
    const maxItems = Math.min(optionalInteger(query.MaxItems, 'MaxItems') ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
    const page = all.slice(start, start + maxItems);
    const functions = page.flatMap((record) => (query.FunctionVersion === 'ALL' ? [record.latest, ...record.published] : [record.latest]).map((version) => functionConfiguration(record.name, version, arns)));
    const next = start + maxItems < all.length ? page.at(-1)?.name : undefined;
    return { Functions: functions, ...(next === undefined ? {} : { NextMarker: next }) };
  });

  apiRoute(app, 'GET', `${BASE}/:name`, ({ params, query }) => {
    const { record, version } = registry.resolve(parseFunctionReference(params.name ?? '', query.Qualifier), arns.function);
    const concurrency = record.reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: record.reservedConcurrency } };
    return { Configuration: functionConfiguration(record.name, version, arns), Code: codeLocation(version), ...concurrency };
  });

  apiRoute(app, 'GET', `${BASE}/:name/configuration`, ({ params, query }) => configurationOf(params.name ?? '', query.Qualifier));

  apiRoute(app, 'PUT', `${BASE}/:name/code`, async ({ params, body }) => {
    const name = resolvedName(registry, params.name ?? '', arns);
    const { record, version } = await registry.updateCode(name, storedCode(codeStore, body), { ...revisionOf(body), publish: body.Publish === true });
    pool.retire(record.name, record.latest);
    return functionConfiguration(record.name, version, arns);
  }, codeLimits);

  apiRoute(app, 'PUT', `${BASE}/:name/configuration`, async ({ params, body }) => {
    const name = resolvedName(registry, params.name ?? '', arns);
    const { record, version } = await registry.updateConfiguration(name, settingsOf(body), revisionOf(body).revisionId);
    pool.retire(record.name, record.latest);
    return functionConfiguration(record.name, version, arns);
  });

  apiRoute(app, 'DELETE', `${BASE}/:name`, async ({ params, query }) => {
    const reference = parseFunctionReference(params.name ?? '', query.Qualifier);
    await registry.delete(reference, arns.function);
    if (reference.qualifier === undefined) pool.retire(reference.name);
    return new ApiResponse(204);
  });

  apiRoute(app, 'POST', `${BASE}/:name/versions`, async ({ params, body }) => {
    const name = resolvedName(registry, params.name ?? '', arns);
    const { record, version } = await registry.publish(name, { ...revisionOf(body), ...(typeof body.CodeSha256 === 'string' ? { codeSha256: body.CodeSha256 } : {}), ...(typeof body.Description === 'string' ? { description: body.Description } : {}) });
    return new ApiResponse(201, functionConfiguration(record.name, version, arns));
  });

  apiRoute(app, 'GET', `${BASE}/:name/versions`, ({ params }) => {
    const record = registry.get(resolvedName(registry, params.name ?? '', arns));
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${arns.function(params.name ?? '')}`);
    return { Versions: [record.latest, ...record.published].map((version) => functionConfiguration(record.name, version, arns)) };
  });

  rawBodyRoute(app, 'POST', `${BASE}/:name/invocations`, async ({ params, query, headers, body }) => {
    const reference = parseFunctionReference(params.name ?? '', query.Qualifier);
    if (headers['x-amz-invocation-type'] === 'Event') {
      const requestId = await asyncQueue.enqueue(reference, body); // durable before the 202
      return new ApiResponse(202, undefined, { 'x-amzn-requestid': requestId });
    }
    const invocationType = invocationTypeOf(headers['x-amz-invocation-type']);
    const logType = headers['x-amz-log-type'] === 'Tail' ? 'Tail' : 'None';
    const clientContext = typeof headers['x-amz-client-context'] === 'string' ? headers['x-amz-client-context'] : undefined;
    const answer = await invoker.invoke(reference, body, { invocationType, logType, ...(clientContext === undefined ? {} : { clientContext }) });
    const responseHeaders: Record<string, string> = { 'x-amz-executed-version': answer.executedVersion };
    if (answer.functionError !== undefined) responseHeaders['x-amz-function-error'] = answer.functionError;
    if (answer.logResult !== undefined) responseHeaders['x-amz-log-result'] = answer.logResult;
    return new ApiResponse(answer.statusCode, answer.statusCode === 204 ? undefined : answer.payload, responseHeaders);
  }, undefined, {
    bodyLimit: MAX_SYNC_PAYLOAD_BYTES,
    tooLarge: (limit) => new AwsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, { fields: { Type: 'User' } }),
  });
}

function settingsOf(body: ApiRequest['body']): FunctionSettings {
  const environment = body.Environment as { Variables?: unknown } | undefined;
  return {
    runtime: body.Runtime,
    handler: body.Handler,
    role: body.Role,
    description: body.Description,
    memorySize: body.MemorySize,
    timeout: body.Timeout,
    variables: environment?.Variables,
  };
}

function revisionOf(body: ApiRequest['body']): { revisionId?: string } {
  return typeof body.RevisionId === 'string' ? { revisionId: body.RevisionId } : {};
}

/** The name of an existing function from a path parameter that may be an ARN (404 if there is none). */
export function resolvedName(registry: FunctionRegistry, input: string, arns: FunctionArns): string {
  const reference = parseFunctionReference(input, undefined);
  return registry.resolve({ name: reference.name, qualifier: undefined }, arns.function).record.name;
}

/** `Code` of CreateFunction, or the body of UpdateFunctionCode: a zip, or a hot-reload directory. */
function storedCode(codeStore: CodeStore, code: unknown): StoredCode {
  const { ZipFile, S3Bucket, S3Key, ImageUri } = (code ?? {}) as Record<string, unknown>;
  if (typeof ZipFile === 'string') return codeStore.storeZip(Buffer.from(ZipFile, 'base64'));
  if (S3Bucket === HOT_RELOAD_BUCKET && typeof S3Key === 'string') return codeStore.localDirectory(S3Key);
  if (ImageUri !== undefined) throw new AwsError('InvalidParameterValueException', 'Container images are not supported by hako; upload a .zip (Code.ZipFile)');
  if (S3Bucket !== undefined) throw new AwsError('InvalidParameterValueException', `hako has no S3: upload the package as Code.ZipFile, or use S3Bucket "${HOT_RELOAD_BUCKET}" with S3Key set to a directory on the hako host`);
  throw new AwsError('InvalidParameterValueException', 'Code is required: Code.ZipFile (base64 of a .zip)');
}

function invocationTypeOf(header: string | string[] | undefined): InvocationType {
  if (header === undefined || header === 'RequestResponse') return 'RequestResponse';
  if (header === 'DryRun') return 'DryRun';
  throw new AwsError('InvalidParameterValueException', `InvocationType must be RequestResponse, Event or DryRun, got ${String(header)}`, { fields: { Type: 'User' } });
}

