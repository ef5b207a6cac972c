/**
 * @module http/iot/topic-rule-destinations — CreateTopicRuleDestination, GetTopicRuleDestination,
 * ListTopicRuleDestinations, UpdateTopicRuleDestination, DeleteTopicRuleDestination and
 * ConfirmTopicRuleDestination with AWS IoT's REST paths and shapes, so `@aws-sdk/client-iot` works. Confirming is
 * public (`GET /confirmdestination/<token>` is the `enableUrl` an endpoint calls without AWS credentials): the
 * 64-hex-digit token is the secret. Times are epoch seconds.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { DestinationRecord, TopicRuleDestinations } from '../../rules/destinations.js';
import { apiRoute, epochSeconds, optionalInteger, sendAwsError } from '../aws-api.js';

export function registerTopicRuleDestinationRoutes(app: FastifyInstance, destinations: TopicRuleDestinations): void {
  const common = (record: DestinationRecord) => ({ arn: record.arn, status: record.status, createdAt: epochSeconds(record.createdAt), lastUpdatedAt: epochSeconds(record.lastUpdatedAt), statusReason: record.statusReason });
  const describe = (record: DestinationRecord) => ({ ...common(record), httpUrlProperties: { confirmationUrl: record.confirmationUrl } });

  apiRoute(app, 'POST', '/destinations', async ({ body }) => {
    const configuration = body.destinationConfiguration as { httpUrlConfiguration?: { confirmationUrl?: unknown }; vpcConfiguration?: unknown } | undefined;
    if (configuration?.vpcConfiguration !== undefined) throw new AwsError('InvalidRequestException', 'hako has no VPC destinations; use httpUrlConfiguration');
    const url = configuration?.httpUrlConfiguration?.confirmationUrl;
    if (typeof url !== 'string') throw new AwsError('InvalidRequestException', 'destinationConfiguration.httpUrlConfiguration.confirmationUrl is required');
    return { topicRuleDestination: describe(await destinations.create(url)) };
  });
  apiRoute(app, 'GET', '/destinations', ({ query }) => {
    const page = destinations.list(query.nextToken, optionalInteger(query.maxResults, 'maxResults'));
    return { destinationSummaries: page.items.map((record) => ({ ...common(record), httpUrlSummary: { confirmationUrl: record.confirmationUrl } })), ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
  });
  // The ARN is the rest of the path ({arn+}): it has colons and slashes of its own.
  apiRoute(app, 'GET', '/destinations/*', ({ params }) => ({ topicRuleDestination: describe(destinations.get(params['*'] ?? '')) }));
  apiRoute(app, 'DELETE', '/destinations/*', async ({ params }) => void (await destinations.delete(params['*'] ?? '')));
  apiRoute(app, 'PATCH', '/destinations', async ({ body }) => {
    if (typeof body.arn !== 'string') throw new AwsError('InvalidRequestException', 'arn is required');
    await destinations.update(body.arn, body.status);
  });
  app.get('/confirmdestination/*', { config: { public: true } }, async (request, reply) => {
    try {
      await destinations.confirm((request.params as Record<string, string>)['*'] ?? '');
      return reply.type('application/json').send({});
    } catch (error) {
      if (error instanceof AwsError) return sendAwsError(reply, error);
      throw error;
    }
  });
}
