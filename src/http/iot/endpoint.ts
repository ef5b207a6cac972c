/**
 * @module http/iot/endpoint — DescribeEndpoint: the host devices should connect to. AWS answers with an
 * account-specific name; hako answers with the name its server certificate covers, so a device SDK that
 * looks its endpoint up (most samples do) can verify the TLS connection it then makes.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { apiRoute } from '../aws-api.js';

const ENDPOINT_TYPES = new Set(['iot:Data', 'iot:Data-ATS', 'iot:CredentialProvider', 'iot:Jobs']);

export function registerEndpointRoute(app: FastifyInstance, endpointAddress: string): void {
  apiRoute(app, 'GET', '/endpoint', (request) => {
    const type = request.query.endpointType ?? 'iot:Data';
    if (!ENDPOINT_TYPES.has(type)) throw new AwsError('InvalidRequestException', `endpointType must be one of ${[...ENDPOINT_TYPES].join(', ')}`);
    return { endpointAddress };
  });
}
