/**
 * @module test/interop/mosquitto-clients — Eclipse Mosquitto's command-line clients (Debian
 * `mosquitto-clients`), unchanged, against hako: `mosquitto_sub` receives what `mosquitto_pub` sends, live
 * and retained, in MQTT 3.1.1 and 5.0.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { runMosquitto as run, startSubscriber } from '../helpers/mosquitto-cli.js';

let hako: TestHako;
before(async () => {
  hako = await startTestHako();
});
after(() => hako.close());

const server = (): string[] => ['-h', '127.0.0.1', '-p', String(hako.ports.mqtt)];
/** mosquitto_sub prints each message as `topic|qos|retain|payload`. */
const FORMAT = ['-F', '%t|%q|%r|%p'];

type CliVersion = 'mqttv311' | 'mqttv5';
const liveCases: Array<{ sub: CliVersion; pub: CliVersion }> = [
  { sub: 'mqttv311', pub: 'mqttv311' },
  { sub: 'mqttv5', pub: 'mqttv5' },
  { sub: 'mqttv311', pub: 'mqttv5' },
  { sub: 'mqttv5', pub: 'mqttv311' },
];

for (const { sub, pub } of liveCases) {
  test(`mosquitto_sub -V ${sub} receives a QoS 1 message from mosquitto_pub -V ${pub}`, async () => {
    const topic = `interop/mosquitto/live/${sub}-${pub}`;
    const clientId = `mosquitto-sub-${sub}-${pub}`;
    const subscriber = await startSubscriber(hako.hooks, clientId, topic, ['-V', sub, ...server(), '-q', '1', '-C', '1', '-W', '8', ...FORMAT]);

    const published = await run('mosquitto_pub', ['-V', pub, ...server(), '-t', topic, '-q', '1', '-m', `hello from ${pub}`]);
    assert.equal(published.code, 0, `mosquitto_pub failed: ${published.stderr}`);
    const received = await subscriber.exited;
    assert.equal(received.code, 0, `mosquitto_sub failed: ${received.stderr}`);
    assert.equal(received.stdout, `${topic}|1|0|hello from ${pub}\n`);
  });
}

for (const version of ['mqttv311', 'mqttv5'] as const) {
  test(`mosquitto_sub -V ${version} receives the message mosquitto_pub -r retained before it subscribed`, async () => {
    const topic = `interop/mosquitto/retained/${version}`;
    // -q 1: mosquitto_pub exits after PUBACK, which hako sends once the retained message is stored.
    const published = await run('mosquitto_pub', ['-V', version, ...server(), '-t', topic, '-q', '1', '-r', '-m', 'kept for later']);
    assert.equal(published.code, 0, `mosquitto_pub failed: ${published.stderr}`);
    try {
      const received = await run('mosquitto_sub', ['-V', version, ...server(), '-t', topic, '-q', '1', '-C', '1', '-W', '8', ...FORMAT]);
      assert.equal(received.code, 0, `mosquitto_sub failed: ${received.stderr}`);
      assert.equal(received.stdout, `${topic}|1|1|kept for later\n`);
    } finally {
      // An empty retained message clears the topic [MQTT-3.3.1-6].
      const cleared = await run('mosquitto_pub', ['-V', version, ...server(), '-t', topic, '-q', '1', '-r', '-n']);
      assert.equal(cleared.code, 0, `clearing the retained message failed: ${cleared.stderr}`);
    }
    assert.equal(hako.broker.retainedCount(), 0);
  });
}
