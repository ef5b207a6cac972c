/**
 * @module test/rules/engine.test — topic rules end to end (spec §4): a device's message through IoT SQL
 * to a republish and a Lambda function, failing actions reaching the error action in AWS's envelope,
 * Basic Ingest, disabled rules, and republish loops stopped. Rules are written with the real
 * `@aws-sdk/client-iot`; messages come from a real MQTT client.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { CreateTopicRuleCommand, DisableTopicRuleCommand, EnableTopicRuleCommand, type IoTClient } from '@aws-sdk/client-iot';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import mqtt, { type MqttClient } from 'mqtt';
import { hakoWithIotForFile } from '../helpers/aws.js';
import type { TestHako } from '../helpers/hako.js';
import { lambdaClient, ROLE, zipOf } from '../helpers/lambda.js';

let hako: TestHako;
let iot: IoTClient;
let lambda: LambdaClient;
let device: MqttClient;
let watcher: MqttClient;
hakoWithIotForFile(async (started) => {
  ({ hako, iot } = started);
  lambda = lambdaClient(hako);
  await connectClients();
});

/** Messages the watcher receives, by topic, and waiters for the next ones. */
const inbox = new Map<string, Buffer[]>();
const waiters: { topic: string; count: number; resolve: (messages: Buffer[]) => void }[] = [];

function received(topic: string, count = 1): Promise<Buffer[]> {
  const have = inbox.get(topic) ?? [];
  if (have.length >= count) return Promise.resolve(have.slice(0, count));
  return new Promise((resolve) => waiters.push({ topic, count, resolve }));
}

async function connectClients(): Promise<void> {
  const url = `mqtt://127.0.0.1:${hako.ports.mqtt}`;
  device = await mqtt.connectAsync(url, { clientId: 'livingroom-sensor' });
  watcher = await mqtt.connectAsync(url, { clientId: 'watcher' });
  watcher.on('message', (topic, payload) => {
    const list = inbox.get(topic) ?? [];
    list.push(payload);
    inbox.set(topic, list);
    for (const waiter of [...waiters]) {
      if (waiter.topic === topic && list.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(list.slice(0, waiter.count));
      }
    }
  });
  await watcher.subscribeAsync(['alerts/#', 'seen/#', 'errors/#', 'ingest/#', 'loop/#', '$aws/rules/#'], { qos: 1 });
}

after(async () => {
  await device?.endAsync();
  await watcher?.endAsync();
  lambda?.destroy();
});

const parse = (buffer: Buffer | undefined): unknown => JSON.parse((buffer ?? assert.fail('no message')).toString());

test('a device message → SQL → republish with a templated topic and a Lambda function receiving the selected document', async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'on-humid', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 10,
    Code: { ZipFile: zipOf({ 'index.mjs': `
      import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
      const iot = new IoTDataPlaneClient({});
      export const handler = async (event) => { await iot.send(new PublishCommand({ topic: 'seen/lambda', qos: 1, payload: JSON.stringify(event) })); };` }) },
  }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'humidity_alerts',
    topicRulePayload: {
      sql: "SELECT humidity, topic(2) AS room FROM 'sensors/+/humidity' WHERE humidity > 70",
      awsIotSqlVersion: '2016-03-23',
      actions: [
        { republish: { topic: 'alerts/${topic(2)}', qos: 1, roleArn: ROLE } },
        { lambda: { functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:on-humid' } },
      ],
    },
  }));
  await device.publishAsync('sensors/livingroom/humidity', JSON.stringify({ humidity: 50 }), { qos: 1 }); // WHERE is false
  await device.publishAsync('sensors/livingroom/humidity', JSON.stringify({ humidity: 72, battery: 90 }), { qos: 1 });
  const [alert] = await received('alerts/livingroom');
  assert.deepEqual(parse(alert), { humidity: 72, room: 'livingroom' });
  const [seen] = await received('seen/lambda');
  assert.deepEqual(parse(seen), { humidity: 72, room: 'livingroom' });
  assert.equal(inbox.get('alerts/livingroom')?.length, 1, 'the message with humidity 50 did not match');
});

test('failing actions reach the error action once, together, in AWS\'s envelope', async () => {
  let tries = 0;
  // The endpoint confirms its topic rule destination (AWS's handshake), then fails every message.
  let confirmed: () => void = () => undefined;
  const destinationConfirmed = new Promise<void>((resolve) => (confirmed = resolve));
  const server = http.createServer((request, response) => {
    if (request.headers['x-amz-rules-engine-message-type'] === 'DestinationConfirmation') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.writeHead(200).end();
        void fetch((JSON.parse(body) as { enableUrl: string }).enableUrl).then((answer) => {
          assert.equal(answer.status, 200);
          confirmed();
        });
      });
      return;
    }
    tries++;
    request.resume();
    response.writeHead(500).end('down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    await iot.send(new CreateTopicRuleCommand({
      ruleName: 'webhook',
      topicRulePayload: {
        sql: "SELECT * FROM 'sensors/+/door'",
        actions: [
          { http: { url, headers: [{ key: 'x-room', value: '${topic(2)}' }] } },
          { lambda: { functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist' } },
          { republish: { topic: 'seen/door', roleArn: ROLE } },
        ],
        errorAction: { republish: { topic: 'errors/${topic(2)}', roleArn: ROLE } },
      },
    }));
    await destinationConfirmed;
    await device.publishAsync('sensors/hall/door', JSON.stringify({ open: true }), { qos: 1 });
    const [envelope] = await received('errors/hall');
    const body = parse(envelope) as { ruleName: string; topic: string; clientId: string; base64OriginalPayload: string; failures: { failedAction: string; failedResource: string; errorMessage: string }[] };
    assert.deepEqual([body.ruleName, body.topic, body.clientId], ['webhook', 'sensors/hall/door', 'livingroom-sensor']);
    assert.deepEqual(JSON.parse(Buffer.from(body.base64OriginalPayload, 'base64').toString()), { open: true });
    const failures = [...body.failures].sort((a, b) => a.failedAction.localeCompare(b.failedAction));
    assert.deepEqual(failures.map((f) => [f.failedAction, f.failedResource]), [
      ['HttpAction', url],
      ['LambdaAction', 'arn:aws:lambda:us-east-1:000000000000:function:does-not-exist'],
    ]);
    assert.match(failures[0]?.errorMessage ?? '', /HTTP 500/);
    assert.match(failures[1]?.errorMessage ?? '', /does-not-exist/);
    assert.equal(tries, 3, 'a 5xx is tried three times');
    assert.equal((await received('seen/door'))[0]?.toString(), '{"open":true}', 'the action that worked still ran');
    assert.equal(inbox.get('errors/hall')?.length, 1);
  } finally {
    server.close();
  }
});

test('Basic Ingest: $aws/rules/<rule>/… runs that rule only, topic() without the prefix, and reaches no subscriber', async () => {
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'ingest_only',
    topicRulePayload: { sql: "SELECT *, topic() AS t FROM 'never/published'", actions: [{ republish: { topic: 'ingest/out', roleArn: ROLE } }] },
  }));
  await device.publishAsync('$aws/rules/ingest_only/farm/field1', JSON.stringify({ moisture: 31 }), { qos: 1 });
  const [out] = await received('ingest/out');
  assert.deepEqual(parse(out), { moisture: 31, t: 'farm/field1' });
  assert.equal(inbox.get('$aws/rules/ingest_only/farm/field1'), undefined, 'Basic Ingest bypasses subscribers');
  await device.publishAsync('$aws/rules/no_such_rule/x', '{}', { qos: 1 });
  const metrics = await (await fetch(`http://127.0.0.1:${hako.ports.http}/metrics`)).text();
  assert.match(metrics, /^hako_rule_not_found_total 1$/m);
});

test('a disabled rule does not run; enabled again, it does', async () => {
  await iot.send(new DisableTopicRuleCommand({ ruleName: 'humidity_alerts' }));
  await device.publishAsync('sensors/attic/humidity', JSON.stringify({ humidity: 99 }), { qos: 1 });
  await iot.send(new EnableTopicRuleCommand({ ruleName: 'humidity_alerts' }));
  await device.publishAsync('sensors/cellar/humidity', JSON.stringify({ humidity: 80 }), { qos: 1 });
  const [cellar] = await received('alerts/cellar');
  assert.deepEqual(parse(cellar), { humidity: 80, room: 'cellar' });
  assert.equal(inbox.get('alerts/attic'), undefined, 'published while the rule was disabled');
});

test('rule changes reach a topic already seen: disabled, enabled again, and a new rule on it', async () => {
  const topic = 'sensors/den/humidity';
  await device.publishAsync(topic, JSON.stringify({ humidity: 91 }), { qos: 1 });
  await received('alerts/den');
  await iot.send(new DisableTopicRuleCommand({ ruleName: 'humidity_alerts' }));
  await device.publishAsync(topic, JSON.stringify({ humidity: 92 }), { qos: 1 });
  await iot.send(new EnableTopicRuleCommand({ ruleName: 'humidity_alerts' }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'den_echo',
    topicRulePayload: { sql: `SELECT humidity FROM '${topic}'`, actions: [{ republish: { topic: 'seen/den', qos: 1, roleArn: ROLE } }] },
  }));
  await device.publishAsync(topic, JSON.stringify({ humidity: 93 }), { qos: 1 });
  // In order on one connection: had the disabled rule run, 92 would come second.
  assert.deepEqual((await received('alerts/den', 2)).map(parse), [{ humidity: 91, room: 'den' }, { humidity: 93, room: 'den' }]);
  assert.deepEqual((await received('seen/den')).map(parse), [{ humidity: 93 }]);
});

test('get_thing_shadow(thing, roleArn) reads the thing\'s shadow, as GetThingShadow answers it, in SELECT and WHERE', async () => {
  await hako.shadows.update('thermostat', undefined, JSON.stringify({ state: { desired: { target: 20 }, reported: { target: 18, mode: 'heat' } } }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'shadow_lookup',
    topicRulePayload: {
      sql: `SELECT get_thing_shadow(topic(2), '${ROLE}').state.reported.mode AS mode, get_thing_shadow(topic(2), '${ROLE}').state.delta AS delta, temp
            FROM 'rooms/+/temp' WHERE get_thing_shadow(topic(2), '${ROLE}').version >= 1`,
      awsIotSqlVersion: '2016-03-23',
      actions: [{ republish: { topic: 'seen/shadow/${topic(2)}', roleArn: ROLE } }],
    },
  }));
  await device.publishAsync('rooms/unknown/temp', JSON.stringify({ temp: 5 }), { qos: 1 }); // no shadow: WHERE is Undefined
  await device.publishAsync('rooms/thermostat/temp', JSON.stringify({ temp: 19 }), { qos: 1 });
  const [looked] = await received('seen/shadow/thermostat');
  assert.deepEqual(parse(looked), { mode: 'heat', delta: { target: 20 }, temp: 19 });
  assert.equal(inbox.get('seen/shadow/unknown'), undefined);
});

test('a rule that republishes onto its own topic is stopped after 8 levels, and counted', async () => {
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'echo_loop',
    topicRulePayload: { sql: "SELECT * FROM 'loop/a'", actions: [{ republish: { topic: 'loop/a', roleArn: ROLE } }] },
  }));
  await device.publishAsync('loop/a', '{"n":1}', { qos: 1 });
  const copies = await received('loop/a', 10); // the device's message and 9 republished levels
  assert.equal(copies.length, 10);
  await hako.rules.engine.stop(); // drains: every queued evaluation and action has settled
  assert.match(await (await fetch(`http://127.0.0.1:${hako.ports.http}/metrics`)).text(), /^hako_rule_republish_loops_stopped_total 1$/m);
});
