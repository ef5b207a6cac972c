/**
 * @module test/interop/mosquitto-clients — Eclipse Mosquitto's command-line clients (Debian
 * `mosquitto-clients`), unchanged, against hako: `mosquitto_sub` receives what `mosquitto_pub` sends, live
 * and retained, in MQTT 3.1.1 and 5.0.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startTestHako, type TestHako } from '../helpers/hako.js';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How long one CLI may run before it is killed and the test fails (mosquitto_sub also gives up by itself: -W 8). */
const CLI_TIMEOUT_MS = 10_000;

/** Runs a mosquitto CLI to completion; a missing binary fails with how to get it. */
function run(command: 'mosquitto_pub' | 'mosquitto_sub', args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${CLI_TIMEOUT_MS} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`${command} is not installed: .ci/run installs mosquitto-clients (apt-get install mosquitto-clients)`) : error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

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
    // Deterministic ordering without sleeping or re-publishing: hako's `subscription.added` hook fires
    // once the subscriber's filter is in the router (before its SUBACK), so a PUBLISH that hako receives
    // after that is routed to it. mosquitto_sub's own "received SUBACK" (-d) would do too, but its stdout
    // is block-buffered on a pipe and only arrives when it exits.
    let stopWatching = (): void => undefined;
    const subscribed = new Promise<void>((resolve) => {
      stopWatching = hako.hooks.on('subscription.added', ({ clientId: id, filter }) => {
        if (id === clientId && filter === topic) resolve();
      });
    });
    const subscriber = run('mosquitto_sub', ['-V', sub, ...server(), '-i', clientId, '-t', topic, '-q', '1', '-C', '1', '-W', '8', ...FORMAT]);
    try {
      // If the subscriber dies before subscribing, report that rather than wait on the hook forever.
      await Promise.race([subscribed, subscriber.then((exit) => Promise.reject(new Error(`mosquitto_sub exited before subscribing: ${JSON.stringify(exit)}`)))]);
    } finally {
      stopWatching();
    }

    const published = await run('mosquitto_pub', ['-V', pub, ...server(), '-t', topic, '-q', '1', '-m', `hello from ${pub}`]);
    assert.equal(published.code, 0, `mosquitto_pub failed: ${published.stderr}`);
    const received = await subscriber;
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
