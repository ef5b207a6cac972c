import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configFromEnv, configFromFile, defaultConfig, isLoopbackHost, resolveConfig } from '../../src/core/config.js';
import { isHakoError } from '../../src/core/errors.js';

test('defaults match the architecture table', () => {
  const config = resolveConfig();
  assert.equal(config.dataDir, './.hako');
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.mqttPort, 1883);
  assert.equal(config.mqttsPort, 8883);
  assert.equal(config.httpPort, 8080);
  assert.equal(config.store, 'sqlite');
  assert.equal(config.region, 'us-east-1');
  assert.equal(config.account, '000000000000');
  assert.equal(config.mqtt.maxPayloadSize, 128 * 1024);
});

test('precedence: flags > environment > project file > defaults', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-config-'));
  try {
    const file = path.join(dir, 'hako.yaml');
    writeFileSync(file, 'mqttPort: 1000\nhttpPort: 2000\nregion: eu-west-1\nmqtt:\n  maxKeepAlive: 60\n');
    const env = configFromEnv({ HAKO_MQTT_PORT: '1001', HAKO_HTTP_PORT: '2001' });
    const config = resolveConfig({ mqttPort: 1002 }, env, configFromFile(file, true));
    assert.equal(config.mqttPort, 1002, 'flag wins over env and file');
    assert.equal(config.httpPort, 2001, 'env wins over file');
    assert.equal(config.region, 'eu-west-1', 'file wins over default');
    assert.equal(config.mqtt.maxKeepAlive, 60, 'nested file setting applies');
    assert.equal(config.mqtt.maxPayloadSize, defaultConfig.mqtt.maxPayloadSize, 'unset nested setting keeps its default');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing default project file is fine; a missing named one is an error', () => {
  assert.deepEqual(configFromFile('/nonexistent/hako.yaml', false), {});
  assert.throws(() => configFromFile('/nonexistent/hako.yaml', true), (e: unknown) => isHakoError(e, 'CONFIG_FILE_UNREADABLE'));
});

const invalid: Array<[string, () => unknown, RegExp]> = [
  ['port out of range from env', () => configFromEnv({ HAKO_MQTT_PORT: '70000' }), /HAKO_MQTT_PORT must be a port number/],
  ['port not a number from env', () => configFromEnv({ HAKO_HTTP_PORT: 'eighty' }), /HAKO_HTTP_PORT must be a port number/],
  ['unknown top-level setting', () => resolveConfig({ colour: 'blue' } as never), /unknown setting "colour"/],
  ['unknown mqtt setting', () => resolveConfig({ mqtt: { maxFoo: 1 } as never }), /unknown setting "mqtt.maxFoo"/],
  ['negative limit', () => resolveConfig({ mqtt: { maxPayloadSize: -1 } }), /mqtt.maxPayloadSize must be a whole number/],
  ['receive maximum 0', () => resolveConfig({ mqtt: { receiveMaximum: 0 } }), /receiveMaximum must be from 1 to 65535/],
  ['subscribeDeniedReasonCode not 0x80 or 0x87', () => resolveConfig({ mqtt: { subscribeDeniedReasonCode: 0x97 } }), /mqtt.subscribeDeniedReasonCode must be 128 \(0x80\) or 135 \(0x87\)/],
  ['iam.serverNames not a list', () => resolveConfig({ iam: { serverNames: 'x' as never } }), /iam.serverNames must be a list/],
  ['iam.anonymousPolicy a number', () => resolveConfig({ iam: { anonymousPolicy: 3 } }), /iam.anonymousPolicy must be a policy document/],
  ['unknown iam setting', () => resolveConfig({ iam: { nope: 1 } as never }), /unknown setting "iam.nope"/],
  ['unknown shadow setting', () => resolveConfig({ shadow: { maxSize: 1 } as never }), /unknown setting "shadow.maxSize"/],
  ['shadow limit 0', () => resolveConfig({ shadow: { maxInFlightPerThing: 0 } }), /shadow.maxInFlightPerThing must be a whole number ≥ 1, got 0/],
  ['shadow limit not a number', () => resolveConfig({ shadow: { maxStateBytes: '8k' as never } }), /shadow.maxStateBytes must be a whole number ≥ 1, got "8k"/],
];

test('shadow limits default to AWS IoT\'s and merge key by key', () => {
  assert.deepEqual(resolveConfig().shadow, { maxStateBytes: 8192, maxDepth: 6, maxInFlightPerThing: 10 });
  assert.deepEqual(resolveConfig({ shadow: { maxDepth: 8 } }, { shadow: { maxStateBytes: 30_720 } }).shadow, { maxStateBytes: 30_720, maxDepth: 8, maxInFlightPerThing: 10 });
});
for (const [name, run, message] of invalid) {
  test(`invalid configuration is refused with a specific message: ${name}`, () => {
    assert.throws(run, (e: unknown) => isHakoError(e, 'CONFIG_INVALID') && message.test((e as Error).message));
  });
}

test('loopback hosts', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '192.168.1.10', '::']) assert.ok(!isLoopbackHost(host), host);
});
