/**
 * @module http/iot/policies — AWS IoT policy operations: Create/Get/List/Delete Policy, the version
 * operations, Attach/Detach Policy, ListAttachedPolicies and ListTargetsForPolicy.
 */
import type { FastifyInstance } from 'fastify';
import type { Identity } from '../../iam/identity.js';
import { apiRoute, epochSeconds, optionalBoolean, optionalInteger, requiredString } from '../aws-api.js';
import { pageOf } from '../../core/paging.js';

export function registerPolicyRoutes(app: FastifyInstance, identity: Identity): void {
  const { policies, arns } = identity;
  const brief = (policyName: string) => ({ policyName, policyArn: arns.policy(policyName) });

  apiRoute(app, 'POST', '/policies/:policyName', async (request) => {
    const record = await policies.createPolicy(request.params.policyName as string, request.body.policyDocument);
    const version = policies.defaultVersion(record);
    return { ...brief(record.policyName), policyDocument: version.document, policyVersionId: version.versionId };
  });
  apiRoute(app, 'GET', '/policies/:policyName', (request) => {
    const record = policies.getPolicy(request.params.policyName as string);
    const version = policies.defaultVersion(record);
    return {
      ...brief(record.policyName),
      policyDocument: version.document,
      defaultVersionId: record.defaultVersionId,
      creationDate: epochSeconds(record.createdAt),
      lastModifiedDate: epochSeconds(record.updatedAt),
      generationId: record.generationId,
    };
  });
  apiRoute(app, 'GET', '/policies', (request) => {
    const page = policies.listPolicies({
      marker: request.query.marker,
      pageSize: optionalInteger(request.query.pageSize, 'pageSize'),
      ascendingOrder: optionalBoolean(request.query.isAscendingOrder, 'isAscendingOrder'),
    });
    return { policies: page.items.map((p) => brief(p.policyName)), nextMarker: page.nextToken };
  });
  apiRoute(app, 'DELETE', '/policies/:policyName', async (request) => {
    await policies.deletePolicy(request.params.policyName as string);
  });
  apiRoute(app, 'POST', '/policies/:policyName/version', async (request) => {
    const { record, version } = await policies.createPolicyVersion(request.params.policyName as string, request.body.policyDocument, optionalBoolean(request.query.setAsDefault, 'setAsDefault') === true);
    return { policyArn: arns.policy(record.policyName), policyDocument: version.document, policyVersionId: version.versionId, isDefaultVersion: record.defaultVersionId === version.versionId };
  });
  apiRoute(app, 'GET', '/policies/:policyName/version', (request) => {
    const record = policies.getPolicy(request.params.policyName as string);
    return {
      policyVersions: [...record.versions]
        .sort((a, b) => Number(b.versionId) - Number(a.versionId))
        .map((v) => ({ versionId: v.versionId, isDefaultVersion: v.versionId === record.defaultVersionId, createDate: epochSeconds(v.createdAt) })),
    };
  });
  apiRoute(app, 'GET', '/policies/:policyName/version/:policyVersionId', (request) => {
    const record = policies.getPolicy(request.params.policyName as string);
    const version = policies.getPolicyVersion(record.policyName, request.params.policyVersionId as string);
    return {
      ...brief(record.policyName),
      policyDocument: version.document,
      policyVersionId: version.versionId,
      isDefaultVersion: version.versionId === record.defaultVersionId,
      creationDate: epochSeconds(version.createdAt),
      lastModifiedDate: epochSeconds(record.updatedAt),
      generationId: record.generationId,
    };
  });
  apiRoute(app, 'PATCH', '/policies/:policyName/version/:policyVersionId', async (request) => {
    await policies.setDefaultPolicyVersion(request.params.policyName as string, request.params.policyVersionId as string);
  });
  apiRoute(app, 'DELETE', '/policies/:policyName/version/:policyVersionId', async (request) => {
    await policies.deletePolicyVersion(request.params.policyName as string, request.params.policyVersionId as string);
  });
  apiRoute(app, 'PUT', '/target-policies/:policyName', async (request) => {
    await policies.attachPolicy(request.params.policyName as string, requiredString(request.body, 'target'));
  });
  apiRoute(app, 'POST', '/target-policies/:policyName', async (request) => {
    await policies.detachPolicy(request.params.policyName as string, requiredString(request.body, 'target'));
  });
  apiRoute(app, 'POST', '/attached-policies/:target', (request) => {
    const names = policies.attachedTo(request.params.target as string);
    const page = pageOf(names, (name) => name, request.query.marker, optionalInteger(request.query.pageSize, 'pageSize'), 250);
    return { policies: page.items.map(brief), nextMarker: page.nextToken };
  });
  apiRoute(app, 'POST', '/policy-targets/:policyName', (request) => {
    const record = policies.getPolicy(request.params.policyName as string);
    const page = pageOf(policies.targetsOf(record.policyName), (target) => target, request.query.marker, optionalInteger(request.query.pageSize, 'pageSize'), 250);
    return { targets: page.items, nextMarker: page.nextToken };
  });
}
