/**
 * @module http/iot-data/connections — DeleteConnection (`DELETE /connections/{clientId}`): the data plane's
 * way to end a client's MQTT connection (v5 clients get DISCONNECT 0x98, Administrative action; the
 * lifecycle event says `API_INITIATED_DISCONNECT`).
 *
 * `cleanSession=true` also ends the client's session (subscriptions, queued messages);
 * `preventWillMessage=true` keeps its will from being sent. A client that is not connected is 404.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Broker } from '../../mqtt/broker.js';
import { optionalBoolean, rawBodyRoute } from '../aws-api.js';

export function registerConnectionRoutes(app: FastifyInstance, broker: Broker): void {
  rawBodyRoute(app, 'DELETE', '/connections/:clientId', ({ params, query }) => {
    const clientId = params.clientId ?? '';
    if (clientId === '' || clientId.startsWith('$')) throw new AwsError('InvalidRequestException', 'clientId must not be empty or start with $');
    const cleanSession = optionalBoolean(query.cleanSession, 'cleanSession') ?? false;
    const preventWill = optionalBoolean(query.preventWillMessage, 'preventWillMessage') ?? false;
    if (!broker.disconnectClient(clientId, { cleanSession, preventWill })) throw new AwsError('ResourceNotFoundException', `No connection exists for client id: '${clientId}'`);
    return {};
  });
}
