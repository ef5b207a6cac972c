/**
 * @module http/events/rules — the EventBridge operations for scheduled rules (AWS JSON 1.1,
 * `X-Amz-Target: AWSEvents.<Operation>`), for `@aws-sdk/client-eventbridge`, CDK, SAM and Terraform:
 * PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, PutTargets, RemoveTargets,
 * ListTargetsByRule — on the default event bus, with schedule expressions (spec §6).
 */
import type { Rule, ScheduledRules } from '../../functions/schedules/rules.js';
import type { JsonTargets } from '../json-targets.js';

export function registerRuleOperations(targets: JsonTargets, rules: ScheduledRules, account: string): void {
  const nameOf = (body: Readonly<Record<string, unknown>>, key = 'Name'): string => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const summary = (rule: Rule): Record<string, unknown> => ({
    Name: rule.name,
    Arn: rules.ruleArn(rule.name),
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    EventBusName: 'default',
  });
  targets.add('AWSEvents', {
    PutRule: async (body) => {
      const rule = await rules.put({ name: body.Name, scheduleExpression: body.ScheduleExpression, state: body.State, description: body.Description });
      return { RuleArn: rules.ruleArn(rule.name) };
    },
    DescribeRule: (body) => ({ ...summary(rules.get(nameOf(body))), CreatedBy: account }),
    ListRules: (body) => ({ Rules: rules.list(typeof body.NamePrefix === 'string' ? body.NamePrefix : '').map(summary) }),
    DeleteRule: async (body) => {
      await rules.delete(nameOf(body));
      return {};
    },
    EnableRule: async (body) => {
      await rules.setState(nameOf(body), 'ENABLED');
      return {};
    },
    DisableRule: async (body) => {
      await rules.setState(nameOf(body), 'DISABLED');
      return {};
    },
    PutTargets: async (body) => {
      const failed = await rules.putTargets(nameOf(body, 'Rule'), body.Targets);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    RemoveTargets: async (body) => {
      await rules.removeTargets(nameOf(body, 'Rule'), body.Ids);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    ListTargetsByRule: (body) => ({
      Targets: rules.get(nameOf(body, 'Rule')).targets.map((target) => ({ Id: target.id, Arn: target.arn, ...(target.input === undefined ? {} : { Input: target.input }) })),
    }),
  });
}
