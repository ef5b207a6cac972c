/**
 * @module http/iot/topic-rules — CreateTopicRule, GetTopicRule, ListTopicRules, ReplaceTopicRule,
 * DeleteTopicRule, EnableTopicRule and DisableTopicRule with AWS IoT's REST paths and shapes, so
 * `@aws-sdk/client-iot` works. The request body is the TopicRulePayload itself; times are epoch seconds.
 */
import type { FastifyInstance } from 'fastify';
import type { CompiledRule, TopicRules } from '../../rules/registry.js';
import { apiRoute, epochSeconds, optionalBoolean, optionalInteger } from '../aws-api.js';

export function registerTopicRuleRoutes(app: FastifyInstance, rules: TopicRules, ruleArn: (ruleName: string) => string): void {
  const name = (params: Readonly<Record<string, string>>): string => params['ruleName'] as string;
  const describe = ({ record }: CompiledRule) => ({
    ruleName: record.ruleName,
    sql: record.sql,
    description: record.description,
    createdAt: epochSeconds(record.createdAt),
    actions: record.actions,
    ruleDisabled: record.ruleDisabled,
    awsIotSqlVersion: record.awsIotSqlVersion,
    ...(record.errorAction === undefined ? {} : { errorAction: record.errorAction }),
  });

  apiRoute(app, 'POST', '/rules/:ruleName', async (request) => {
    await rules.create(name(request.params), request.body);
  });
  apiRoute(app, 'GET', '/rules/:ruleName', (request) => {
    const rule = rules.get(name(request.params));
    return { ruleArn: ruleArn(rule.record.ruleName), rule: describe(rule) };
  });
  apiRoute(app, 'GET', '/rules', (request) => {
    const page = rules.list(
      { topic: request.query.topic, ruleDisabled: optionalBoolean(request.query.ruleDisabled, 'ruleDisabled') },
      request.query.nextToken,
      optionalInteger(request.query.maxResults, 'maxResults'),
    );
    return {
      rules: page.items.map(({ record, statement }) => ({
        ruleArn: ruleArn(record.ruleName),
        ruleName: record.ruleName,
        topicPattern: statement.topicFilter ?? '',
        createdAt: epochSeconds(record.createdAt),
        ruleDisabled: record.ruleDisabled,
      })),
      nextToken: page.nextToken,
    };
  });
  apiRoute(app, 'PATCH', '/rules/:ruleName', async (request) => {
    await rules.replace(name(request.params), request.body);
  });
  apiRoute(app, 'DELETE', '/rules/:ruleName', async (request) => {
    await rules.delete(name(request.params));
  });
  apiRoute(app, 'POST', '/rules/:ruleName/enable', async (request) => {
    await rules.setDisabled(name(request.params), false);
  });
  apiRoute(app, 'POST', '/rules/:ruleName/disable', async (request) => {
    await rules.setDisabled(name(request.params), true);
  });
}
