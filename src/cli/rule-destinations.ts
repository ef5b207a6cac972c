/**
 * @module cli/rule-destinations — `hako rules destinations`, `hako rules enable-destination` and
 * `hako rules disable-destination`: the topic rule destinations http actions post under. Enabling one directly is
 * hako's way for a webhook that cannot answer AWS's confirmation handshake.
 */
import type { Command } from 'commander';
import { ListTopicRuleDestinationsCommand, UpdateTopicRuleDestinationCommand, type TopicRuleDestinationSummary } from '@aws-sdk/client-iot';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { emit, table } from './output.js';

async function allDestinations(c: Connection): Promise<TopicRuleDestinationSummary[]> {
  const listed: TopicRuleDestinationSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await c.send(new ListTopicRuleDestinationsCommand(nextToken === undefined ? {} : { nextToken }));
    listed.push(...(page.destinationSummaries ?? []));
    nextToken = page.nextToken ?? undefined;
  } while (nextToken !== undefined);
  return listed;
}

export function registerRuleDestinationCommands(rules: Command): void {
  addConnectionOptions(rules.command('destinations').description('list topic rule destinations (the confirmed URLs http actions post under)')).action((flags: ConnectionFlags) =>
    withConnection('rules destinations', flags, async (c) => {
      const listed = await allDestinations(c);
      emit(flags.json, { destinationSummaries: listed }, () =>
        table(
          ['CONFIRMATION URL', 'STATUS', 'ARN', 'REASON'],
          listed.map((d) => [d.httpUrlSummary?.confirmationUrl ?? '', d.status ?? '', d.arn ?? '', d.statusReason ?? '']),
          'no topic rule destinations (a rule with an http action makes one for its URL)',
        ),
      );
    }),
  );
  for (const status of ['ENABLED', 'DISABLED'] as const) {
    const verb = status === 'ENABLED' ? 'enable' : 'disable';
    addConnectionOptions(rules.command(`${verb}-destination`).description(`${verb} a topic rule destination, by its confirmation URL or ARN`).argument('<url-or-arn>', 'the confirmation URL or the destination ARN')).action(
      (target: string, flags: ConnectionFlags) =>
        withConnection(`rules ${verb}-destination`, flags, async (c) => {
          const destination = (await allDestinations(c)).find((d) => d.arn === target || d.httpUrlSummary?.confirmationUrl === target);
          if (destination?.arn === undefined) throw new CliError(`rules ${verb}-destination: no topic rule destination is ${target}`, 'list them with `hako rules destinations`');
          await c.send(new UpdateTopicRuleDestinationCommand({ arn: destination.arn, status }));
          emit(flags.json, { arn: destination.arn, status }, () => `${destination.httpUrlSummary?.confirmationUrl ?? destination.arn} is ${status}`);
        }),
    );
  }
}
