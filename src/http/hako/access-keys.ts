/**
 * @module http/hako/access-keys — hako's own API for access keys (AWS keeps these in IAM, whose Query
 * protocol hako does not speak). JSON over SigV4 like everything else; `hako keys …` is its client.
 */
import type { FastifyInstance } from 'fastify';
import type { AccessKeyRecord, AccessKeys } from '../../iam/keys.js';
import { apiRoute, epochSeconds, optionalString, requiredString } from '../aws-api.js';

export function registerAccessKeyRoutes(app: FastifyInstance, accessKeys: AccessKeys): void {
  // The secret is shown once, when the key is made; listings never include it.
  const brief = (key: AccessKeyRecord) => ({ accessKeyId: key.accessKeyId, userName: key.userName, status: key.status, createDate: epochSeconds(key.createdAt) });

  apiRoute(app, 'POST', '/hako/access-keys', async (request) => {
    const key = await accessKeys.create(optionalString(request.body, 'userName') ?? 'user');
    return { accessKey: { ...brief(key), secretAccessKey: key.secretAccessKey } };
  });
  apiRoute(app, 'GET', '/hako/access-keys', () => ({ accessKeys: accessKeys.list().map(brief) }));
  apiRoute(app, 'PATCH', '/hako/access-keys/:accessKeyId', async (request) => {
    await accessKeys.update(request.params.accessKeyId as string, requiredString(request.body, 'status'));
  });
  apiRoute(app, 'DELETE', '/hako/access-keys/:accessKeyId', async (request) => {
    await accessKeys.delete(request.params.accessKeyId as string);
  });
}
