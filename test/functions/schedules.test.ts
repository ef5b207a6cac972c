/**
 * @module test/functions/schedules.test — scheduled rules (spec §6). The firing logic runs against a
 * clock the test sets and a queue that records what it is given (the asynchronous queue itself is tested
 * in async-invoke.test): AWS's scheduled event, a target's Input verbatim, a rate counted from the rule's
 * creation, one make-up firing for times missed while stopped and never a second one, disabled rules
 * silent. Then the EventBridge API through `@aws-sdk/client-eventbridge`.
 */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { DeleteRuleCommand, DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { silentLogger } from '../../src/core/logger.js';
import type { AsyncQueue } from '../../src/functions/async-queue.js';
import type { FunctionReference } from '../../src/functions/names.js';
import { ScheduledRules } from '../../src/functions/schedules/rules.js';
import { MemoryRecordStore } from '../../src/store/records.js';
import { rootCredentials } from '../helpers/aws.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { rejection } from '../helpers/iot-api.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:tick';

/** A queue that records the events it is given; `next()` resolves with the next one. */
function recordingQueue(): { queue: AsyncQueue; events: Array<{ name: string; event: Record<string, unknown> }>; next: () => Promise<Record<string, unknown>> } {
  const events: Array<{ name: string; event: Record<string, unknown> }> = [];
  let waiter: ((event: Record<string, unknown>) => void) | undefined;
  const queue = {
    enqueue: async (reference: FunctionReference, payload: Buffer) => {
      const event = JSON.parse(payload.toString()) as Record<string, unknown>;
      events.push({ name: reference.name, event });
      waiter?.(event);
      return 'request-id';
    },
  } as unknown as AsyncQueue;
  return { queue, events, next: () => new Promise((resolve) => (waiter = resolve)) };
}

function setup(startIso: string) {
  const records = new MemoryRecordStore();
  const recorded = recordingQueue();
  const clock = {
    offset: Date.parse(startIso) - Date.now(),
    now(): number {
      return Date.now() + this.offset;
    },
    monotonic: () => performance.now(),
    set(iso: string): void {
      this.offset = Date.parse(iso) - Date.now();
    },
  };
  const open = () => ScheduledRules.open({ records, asyncQueue: recorded.queue, clock, logger: silentLogger(), region: 'us-east-1', account: '000000000000' });
  return { records, recorded, clock, open };
}

describe('firing', () => {
  it('a rate rule fires at creation + period with AWS\'s scheduled event; a target\'s Input goes verbatim', async () => {
    const { recorded, clock, open } = setup('2026-12-01T10:00:00.000Z');
    const rules = await open();
    await rules.put({ name: 'every-minute', scheduleExpression: 'rate(1 minute)', state: undefined, description: undefined });
    await rules.putTargets('every-minute', [{ Id: 'a', Arn: FN }, { Id: 'b', Arn: `${FN}:prod`, Input: '{"custom":true}' }]);
    // 50 ms before the first firing (10:01:00): re-arming lets the real timer run the rest of the way.
    clock.set('2026-12-01T10:00:59.950Z');
    const firing = recorded.next();
    // The rule's timer is unref'd (it must not keep hako running); this keeps the test's loop alive meanwhile.
    const keepAlive = setTimeout(() => undefined, 10_000);
    await rules.setState('every-minute', 'ENABLED');
    await firing;
    clearTimeout(keepAlive);
    rules.stop();
    const [scheduled, custom] = recorded.events;
    assert.deepEqual({ ...scheduled?.event, id: undefined }, {
      version: '0',
      id: undefined,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-12-01T10:01:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/every-minute'],
      detail: {},
    });
    assert.match(String(scheduled?.event.id), /^[0-9a-f-]{36}$/);
    assert.deepEqual([scheduled?.name, custom?.name, custom?.event], ['tick', 'tick', { custom: true }]);
  });

  it('times missed while stopped are made up once, for the latest of them, and never again', async () => {
    const { recorded, clock, open } = setup('2026-12-01T10:00:30.000Z');
    let rules = await open();
    await rules.put({ name: 'five', scheduleExpression: 'rate(5 minutes)', state: undefined, description: undefined });
    await rules.putTargets('five', [{ Id: 'a', Arn: FN }]);
    await rules.put({ name: 'daily', scheduleExpression: 'cron(0 10 * * ? *)', state: undefined, description: undefined });
    await rules.putTargets('daily', [{ Id: 'a', Arn: FN }]);
    await rules.put({ name: 'off', scheduleExpression: 'rate(1 minute)', state: 'DISABLED', description: undefined });
    await rules.putTargets('off', [{ Id: 'a', Arn: FN }]);
    rules.stop();
    assert.equal(recorded.events.length, 0);

    clock.set('2026-12-03T12:17:00.000Z'); // two days later: many rate times and two 10:00s missed
    rules = await open(); // the make-up firings are queued while it opens
    rules.stop();
    const times = recorded.events.map((e) => [String((e.event.resources as string[])[0]).split('/')[1], e.event.time]).sort();
    assert.deepEqual(times, [['daily', '2026-12-03T10:00:00Z'], ['five', '2026-12-03T12:15:30Z']]);

    rules = await open(); // same time: nothing is missed any more
    rules.stop();
    assert.equal(recorded.events.length, 2);
  });
});

describe('EventBridge API', () => {
  let hako: TestHako;
  let events: EventBridgeClient;
  hakoForFile((started) => new EventBridgeClient({ endpoint: `http://127.0.0.1:${started.ports.http}`, region: 'us-east-1', credentials: rootCredentials(started.dataDir), maxAttempts: 1 }), (started) => {
    ({ hako, client: events } = started);
  });

  test('PutRule, PutTargets, DescribeRule, ListRules, ListTargetsByRule, RemoveTargets, DeleteRule', async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 2 * * ? *)', Description: 'nightly job' }));
    assert.equal(RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/nightly');
    const put = await events.send(new PutTargetsCommand({ Rule: 'nightly', Targets: [{ Id: 'fn', Arn: FN }, { Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
    assert.equal(put.FailedEntryCount, 1);
    assert.equal(put.FailedEntries?.[0]?.TargetId, 'queue');
    const described = await events.send(new DescribeRuleCommand({ Name: 'nightly' }));
    assert.deepEqual([described.ScheduleExpression, described.State, described.Description, described.EventBusName], ['cron(0 2 * * ? *)', 'ENABLED', 'nightly job', 'default']);
    assert.deepEqual((await events.send(new ListRulesCommand({ NamePrefix: 'night' }))).Rules?.map((r) => r.Name), ['nightly']);
    assert.deepEqual((await events.send(new ListTargetsByRuleCommand({ Rule: 'nightly' }))).Targets?.map((t) => [t.Id, t.Arn]), [['fn', FN]]);
    const refused = await rejection(events.send(new DeleteRuleCommand({ Name: 'nightly' })), 'ValidationException');
    assert.match(refused.message, /Rule can't be deleted since it has targets/);
    await events.send(new RemoveTargetsCommand({ Rule: 'nightly', Ids: ['fn'] }));
    await events.send(new DeleteRuleCommand({ Name: 'nightly' }));
    const missing = await rejection(events.send(new DescribeRuleCommand({ Name: 'nightly' })), 'ResourceNotFoundException');
    assert.match(missing.message, /Rule nightly does not exist/);
    assert.equal(hako.functions.rules.list().length, 0);
  });

  test('a bad schedule expression is a ValidationException saying what is wrong', async () => {
    const error = await rejection(events.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 10 * * * *)' })), 'ValidationException');
    assert.match(error.message, /Parameter ScheduleExpression is not valid: cron\(0 10 \* \* \* \*\): exactly one of day-of-month and day-of-week must be \?/);
  });
});
