/**
 * @module http/iot-data/shadows — the Device Shadow operations of the AWS IoT data plane [spec §3.8]:
 * GetThingShadow, UpdateThingShadow, DeleteThingShadow (`/things/{thingName}/shadow[?name=]`) and
 * ListNamedShadowsForThing, translated onto the shadow service.
 *
 * Request and response bodies are the shadow documents themselves (the SDK's `payload` blob), not wrapped.
 * A rejection travels as the REST exception AWS names for its code (`restExceptionName`) with that code as
 * the status and the shadow service's own message; the MQTT topics see only successful updates and deletes
 * (the service publishes those).
 */
import type { FastifyInstance } from 'fastify';
import { AwsError, awsErrorStatus, type AwsErrorType } from '../../core/aws-error.js';
import { pageOf } from '../../core/paging.js';
import { restExceptionName, type ShadowError } from '../../shadow/document/index.js';
import type { ShadowService } from '../../shadow/service.js';
import { isValidThingName } from '../../shadow/topics.js';
import { optionalInteger, rawBodyRoute, type CertificateAccess } from '../aws-api.js';

/** ListNamedShadowsForThing page size when none is asked for; AWS documents neither a default nor a maximum. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function registerShadowRoutes(app: FastifyInstance, shadows: ShadowService, now: () => number): void {
  const path = '/things/:thingName/shadow';
  rawBodyRoute(app, 'GET', path, async ({ params, query }) => answer(await shadows.get(thingOf(params), query.name)), shadowAccess('iot:GetThingShadow'));
  rawBodyRoute(app, 'POST', path, async ({ params, query, body }) => answer(await shadows.update(thingOf(params), query.name, body)), shadowAccess('iot:UpdateThingShadow'));
  rawBodyRoute(app, 'DELETE', path, async ({ params, query }) => answer(await shadows.delete(thingOf(params), query.name)), shadowAccess('iot:DeleteThingShadow'));

  rawBodyRoute(app, 'GET', '/api/things/shadow/ListNamedShadowsForThing/:thingName', async ({ params, query }) => {
    const thingName = thingOf(params);
    if (!isValidThingName(thingName)) throw new AwsError('InvalidRequestException', 'Invalid thing name');
    const pageSize = optionalInteger(query.pageSize, 'pageSize') ?? DEFAULT_PAGE_SIZE;
    const page = pageOf(await shadows.listNamedShadows(thingName), (name) => name, query.nextToken, pageSize, MAX_PAGE_SIZE);
    return { results: page.items, ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }), timestamp: Math.floor(now() / 1000) };
  }, ({ params }) => [{ action: 'iot:ListNamedShadowsForThing', resource: `thing/${thingOf(params)}` }]);
}

/** A device's certificate policy names the shadow as `thing/<thing>` (classic) or `thing/<thing>/<shadow>` [spec §5.3]. */
function shadowAccess(action: string): CertificateAccess {
  return ({ params, query }) => [{ action, resource: query.name === undefined ? `thing/${thingOf(params)}` : `thing/${thingOf(params)}/${query.name}` }];
}

function thingOf(params: Readonly<Record<string, string>>): string {
  return params.thingName ?? '';
}

/** The document of an accepted request, or the rejection as the AWS REST error. */
function answer(outcome: { ok: true; accepted: object } | { ok: false; error: ShadowError }): object {
  if (outcome.ok) return outcome.accepted;
  throw shadowAwsError(outcome.error);
}

export function shadowAwsError(error: ShadowError): AwsError {
  const name = restExceptionName(error.code);
  const type: AwsErrorType = name in awsErrorStatus ? (name as AwsErrorType) : 'InternalFailureException';
  return new AwsError(type, error.message);
}
