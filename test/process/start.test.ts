/**
 * @module test/process/start.test — the start-up contract of `hako start` as a real process
 * (shared/architecture.md, "Configuration and start-up contract"): ports.json, /healthz, MQTT over TCP and
 * WebSocket, the defaults, the precedence flags > HAKO_* > hako.yaml > defaults, one-line start-up errors,
 * SIGTERM, and the data directory's permissions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { TestContext } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { IConnackPacket, IDisconnectPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet';
import WebSocket from 'ws';
import { RawClient } from '../helpers/raw-client.js';
import { spawnHako, startHakoProcess, tempDir, waitForExit, waitForPorts, type HakoProcess } from '../helpers/process-hako.js';

/** GET on 127.0.0.1 without keep-alive (a pooled socket would hold the test process open). */
async function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
  const request = http.get({ host: '127.0.0.1', port, path: pathname, agent: false });
  const [response] = (await once(request, 'response')) as [http.IncomingMessage];
  response.setEncoding('utf8');
  let body = '';
  for await (const chunk of response) body += chunk as string;
  return { status: response.statusCode ?? 0, body };
}

/** Holds a loopback port for the rest of the test, as another program would. */
async function occupyPort(t: TestContext): Promise<number> {
  const server = net.createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Waits for a start-up failure: exit code 1 and the lines written to stderr. */
async function expectStartFailure(hako: HakoProcess): Promise<string[]> {
  const exit = await waitForExit(hako);
  assert.deepEqual(exit, { code: 1, signal: null }, `expected exit code 1; stderr: ${hako.stderr()}; stdout: ${hako.stdout()}`);
  return hako.stderr().split('\n').filter((line) => line !== '');
}

/** MQTT over WebSocket at /mqtt: CONNECT goes out in one binary frame; `next` awaits the next packet back. */
async function openWebSocketMqtt(port: number, subprotocol: string, protocolVersion: 4 | 5, clientId: string): Promise<{ ws: WebSocket; connack: IConnackPacket; next: () => Promise<Packet>; closed: Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, subprotocol);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await once(ws, 'open');
  const parser = mqttPacket.parser({ protocolVersion });
  const queue: Packet[] = [];
  const waiting: Array<(p: Packet) => void> = [];
  parser.on('packet', (packet: Packet) => (waiting.length > 0 ? waiting.shift()?.(packet) : queue.push(packet)));
  ws.on('message', (data: Buffer) => parser.parse(data));
  const next = (): Promise<Packet> => {
    const queued = queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no packet over WebSocket (${subprotocol}) within 5000 ms`)), 5000);
      waiting.push((p) => {
        clearTimeout(timer);
        resolve(p);
      });
    });
  };
  ws.send(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion, clean: true, keepalive: 0, clientId }, { protocolVersion }));
  const connack = await next();
  assert.equal(connack.cmd, 'connack');
  return { ws, connack: connack as IConnackPacket, next, closed };
}

/** Connects over WebSocket and resolves with the negotiated subprotocol and the CONNACK. */
async function connectOverWebSocket(port: number, subprotocol: string, protocolVersion: 4 | 5): Promise<{ protocol: string; connack: IConnackPacket }> {
  const { ws, connack } = await openWebSocketMqtt(port, subprotocol, protocolVersion, `ws-${subprotocol}`);
  ws.terminate();
  return { protocol: ws.protocol, connack };
}

/** Resolves with the error a WebSocket client gets when the server refuses it. */
async function webSocketRefusal(url: string, subprotocol: string): Promise<Error> {
  const ws = new WebSocket(url, subprotocol);
  const outcome = await new Promise<Error | undefined>((resolve) => {
    ws.once('open', () => resolve(undefined));
    ws.once('error', resolve);
  });
  ws.terminate();
  assert.ok(outcome !== undefined, `${url} with subprotocol ${subprotocol} was accepted`);
  return outcome;
}

test('start with ports 0: ports.json has the real ports, /healthz is ok, MQTT answers on TCP and WebSocket', async (t) => {
  const dataDir = tempDir(t);
  const { ports } = await startHakoProcess(t, dataDir);
  for (const [name, port] of Object.entries(ports)) assert.ok(Number.isInteger(port) && port > 0, `${name} port ${port}`);
  assert.equal(new Set(Object.values(ports)).size, 3, `three distinct ports: ${JSON.stringify(ports)}`);

  const health = await get(ports.http, '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body), { status: 'ok' });

  const v5 = await RawClient.connect(ports.mqtt, { clientId: 'tcp-v5' }, 5);
  assert.equal(v5.connack.reasonCode, 0);
  assert.equal(v5.connack.sessionPresent, false);
  await v5.client.disconnect();
  const v4 = await RawClient.connect(ports.mqtt, { clientId: 'tcp-v4' }, 4);
  assert.equal(v4.connack.returnCode, 0);
  await v4.client.disconnect();

  const overMqtt = await connectOverWebSocket(ports.http, 'mqtt', 5);
  assert.equal(overMqtt.protocol, 'mqtt');
  assert.equal(overMqtt.connack.reasonCode, 0);
  const overV31 = await connectOverWebSocket(ports.http, 'mqttv3.1', 4);
  assert.equal(overV31.protocol, 'mqttv3.1');
  assert.equal(overV31.connack.returnCode, 0);

  const otherPath = await webSocketRefusal(`ws://127.0.0.1:${ports.http}/other`, 'mqtt');
  assert.match(otherPath.message, /404/);
  const rootPath = await webSocketRefusal(`ws://127.0.0.1:${ports.http}/`, 'mqtt');
  assert.match(rootPath.message, /404/);
  const prefixPath = await webSocketRefusal(`ws://127.0.0.1:${ports.http}/mqtt/x`, 'mqtt');
  assert.match(prefixPath.message, /404/);
  const otherProtocol = await webSocketRefusal(`ws://127.0.0.1:${ports.http}/mqtt`, 'chat');
  assert.match(otherProtocol.message, /subprotocol/i);
});

test('defaults (npm start): no flags in an empty directory → 127.0.0.1:1883 and :8080, ./.hako with hako.db', async (t) => {
  const cwd = tempDir(t);
  const hako = spawnHako(t, { cwd });
  const dataDir = path.join(cwd, '.hako');
  let ports;
  try {
    ports = await waitForPorts(hako, dataDir);
  } catch (error) {
    assert.fail(`hako did not start with its defaults (it needs 127.0.0.1:1883 and 127.0.0.1:8080 free on this machine): ${(error as Error).message}`);
  }
  assert.deepEqual(ports, { mqtt: 1883, mqtts: 8883, http: 8080 });
  assert.ok(existsSync(path.join(dataDir, 'hako.db')), 'hako.db in ./.hako');
  assert.equal((statSync(dataDir).mode & 0o777).toString(8), '700');
  // First start: the CA, the server certificate and the root access key, secrets readable by the owner only.
  for (const [file, mode] of [['ca.pem', null], ['server.pem', null], ['ca.key', '600'], ['server.key', '600'], ['credentials', '600']] as const) {
    assert.ok(existsSync(path.join(dataDir, file)), `${file} in ./.hako`);
    if (mode !== null) assert.equal((statSync(path.join(dataDir, file)).mode & 0o777).toString(8), mode, `mode of ${file}`);
  }
  assert.match(readFileSync(path.join(dataDir, 'credentials'), 'utf8'), /^\[default\]\naws_access_key_id = AKIA[A-Z2-7]{16}\naws_secret_access_key = \S{40}\n/);

  const { client, connack } = await RawClient.connect(1883, { clientId: 'defaults' }, 4);
  assert.equal(connack.returnCode, 0);
  await client.disconnect();
  const health = await get(8080, '/healthz');
  assert.equal(health.status, 200);
  assert.match(hako.stdout(), /hako is up: MQTT on 127\.0\.0\.1:1883, MQTT over TLS on 127\.0\.0\.1:8883, HTTP on http:\/\/127\.0\.0\.1:8080/);
  assert.match(hako.stdout(), /root access key written to \S+\/\.hako\/credentials/);

  hako.child.kill('SIGTERM');
  assert.deepEqual(await waitForExit(hako), { code: 0, signal: null });
});

test('precedence: a flag beats HAKO_* which beats hako.yaml which beats the defaults', { concurrency: true }, async (t) => {
  // The losing layers name ports that another program holds: had one of them won, hako could not start.
  const [yamlPort, envPort] = [await occupyPort(t), await occupyPort(t)];
  const cwd = tempDir(t);
  writeFileSync(path.join(cwd, 'hako.yaml'), `httpPort: ${yamlPort}\nmqttPort: ${yamlPort}\n`);
  const dataDir = (name: string): string => path.join(cwd, name);

  const yamlRead = t.test('hako.yaml in the working directory is read (over the defaults)', async (t) => {
    const hako = spawnHako(t, { cwd, args: ['--data-dir', dataDir('yaml')], env: { HAKO_MQTT_PORT: '0', HAKO_MQTTS_PORT: '0' } });
    const lines = await expectStartFailure(hako);
    assert.deepEqual(lines, [`hako: HTTP port ${yamlPort} on 127.0.0.1 is already in use; choose another with --http-port or HAKO_HTTP_PORT`]);
  });

  const envWins = t.test('HAKO_HTTP_PORT beats hako.yaml', async (t) => {
    const hako = spawnHako(t, { cwd, args: ['--data-dir', dataDir('env')], env: { HAKO_HTTP_PORT: '0', HAKO_MQTT_PORT: '0', HAKO_MQTTS_PORT: '0' } });
    const ports = await waitForPorts(hako, dataDir('env'));
    assert.ok(ports.http !== yamlPort && ports.mqtt !== yamlPort, `ports ${JSON.stringify(ports)}`);
    assert.equal((await get(ports.http, '/healthz')).status, 200);
  });

  const flagWins = t.test('--http-port beats HAKO_HTTP_PORT and hako.yaml', async (t) => {
    const hako = spawnHako(t, {
      cwd,
      args: ['--data-dir', dataDir('flag'), '--http-port', '0', '--mqtt-port', '0'],
      env: { HAKO_HTTP_PORT: String(envPort), HAKO_MQTT_PORT: String(envPort), HAKO_MQTTS_PORT: '0' },
    });
    const ports = await waitForPorts(hako, dataDir('flag'));
    assert.ok(![yamlPort, envPort].includes(ports.http) && ![yamlPort, envPort].includes(ports.mqtt), `ports ${JSON.stringify(ports)}`);
    const { client, connack } = await RawClient.connect(ports.mqtt, { clientId: 'precedence' }, 5);
    assert.equal(connack.reasonCode, 0);
    await client.disconnect();
  });

  const dataDirs = t.test('HAKO_DATA_DIR beats hako.yaml, and --data-dir beats HAKO_DATA_DIR', async (t) => {
    const dirs = { yaml: dataDir('d-yaml'), env: dataDir('d-env'), flag: dataDir('d-flag') };
    const config = path.join(cwd, 'dirs.yaml');
    writeFileSync(config, `dataDir: ${JSON.stringify(dirs.yaml)}\nhttpPort: 0\nmqttPort: 0\nmqttsPort: 0\n`);
    const fromEnv = spawnHako(t, { cwd, args: ['--config', config], env: { HAKO_DATA_DIR: dirs.env } });
    await waitForPorts(fromEnv, dirs.env);
    const fromFlag = spawnHako(t, { cwd, args: ['--config', config, '--data-dir', dirs.flag], env: { HAKO_DATA_DIR: dirs.env, HAKO_CONFIG: path.join(cwd, 'missing.yaml') } });
    await waitForPorts(fromFlag, dirs.flag);
    assert.ok(!existsSync(dirs.yaml), 'the project file\'s dataDir lost to the environment and the flag');
  });
  await Promise.all([yamlRead, envWins, flagWins, dataDirs]);
});

test('a port already in use: exit code 1 and one line on stderr naming the flag to change', { concurrency: true }, async (t) => {
  const taken = await occupyPort(t);
  const cwd = tempDir(t);

  const mqtt = t.test('MQTT port', async (t) => {
    const hako = spawnHako(t, { cwd, args: ['--data-dir', path.join(cwd, 'mqtt'), '--mqtt-port', String(taken), '--http-port', '0', '--mqtts-port', '0'] });
    const lines = await expectStartFailure(hako);
    assert.deepEqual(lines, [`hako: MQTT port ${taken} on 127.0.0.1 is already in use; choose another with --mqtt-port or HAKO_MQTT_PORT`]);
    assert.ok(!existsSync(path.join(cwd, 'mqtt', 'ports.json')), 'no ports.json after a failed start');
  });

  const http = t.test('HTTP port', async (t) => {
    const hako = spawnHako(t, { cwd, args: ['--data-dir', path.join(cwd, 'http'), '--mqtt-port', '0', '--http-port', String(taken), '--mqtts-port', '0'] });
    const lines = await expectStartFailure(hako);
    assert.deepEqual(lines, [`hako: HTTP port ${taken} on 127.0.0.1 is already in use; choose another with --http-port or HAKO_HTTP_PORT`]);
    assert.ok(!existsSync(path.join(cwd, 'http', 'ports.json')), 'no ports.json after a failed start');
  });
  await Promise.all([mqtt, http]);
});

// The cases are independent processes: run them side by side.
test('invalid configuration: exit code 1 and one clear line on stderr', { concurrency: true }, async (t) => {
  const cases: Array<{ name: string; yaml?: string; env?: Record<string, string>; args?: string[]; expected: RegExp }> = [
    { name: 'HAKO_MQTT_PORT=abc', env: { HAKO_MQTT_PORT: 'abc' }, expected: /^hako: invalid configuration: HAKO_MQTT_PORT must be a port number from 0 to 65535, got "abc"$/ },
    { name: '--mqtt-port -1', args: ['--mqtt-port=-1'], expected: /^hako: invalid configuration: --mqtt-port must be a port number .*-1/ },
    { name: 'an unknown key in hako.yaml', yaml: 'httpPort: 0\nmqttPrt: 0\n', expected: /^hako: invalid configuration: unknown setting "mqttPrt"$/ },
    { name: 'an unknown broker limit in hako.yaml', yaml: 'mqtt:\n  maxPayloadSise: 10\n', expected: /^hako: invalid configuration: unknown setting "mqtt\.maxPayloadSise"$/ },
    { name: 'hako.yaml that is not YAML', yaml: 'httpPort: [0\nmqttPort: {\n', expected: /^hako: cannot read project file hako\.yaml: .*line \d+/ },
  ];
  await t.test('a data directory whose hako.db is not a database', async (t) => {
    const cwd = tempDir(t);
    const dataDir = path.join(cwd, 'data');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'hako.db'), 'this is not an SQLite file, and nothing may overwrite it\n');
    const hako = spawnHako(t, { cwd, args: ['--data-dir', dataDir], env: {} });
    const lines = await expectStartFailure(hako);
    assert.equal(lines.length, 1, `one line on stderr, got:\n${lines.join('\n')}`);
    assert.match(lines[0] as string, /^hako: cannot use data directory .*data: cannot open .*hako\.db: file is not a database$/);
    assert.equal(readFileSync(path.join(dataDir, 'hako.db'), 'utf8'), 'this is not an SQLite file, and nothing may overwrite it\n');
  });
  await Promise.all(cases.map((c) =>
    t.test(c.name, async (t) => {
      const cwd = tempDir(t);
      if (c.yaml !== undefined) writeFileSync(path.join(cwd, 'hako.yaml'), c.yaml);
      const hako = spawnHako(t, { cwd, args: ['--data-dir', path.join(cwd, 'data'), ...(c.args ?? [])], env: c.env ?? {} });
      const lines = await expectStartFailure(hako);
      assert.equal(lines.length, 1, `one line on stderr, got:\n${lines.join('\n')}`);
      assert.match(lines[0] as string, c.expected);
      assert.ok(!existsSync(path.join(cwd, 'data')), 'nothing created for an invalid configuration');
    }),
  ));
});

test('SIGTERM: v5 clients (TCP and WebSocket) get DISCONNECT 0x8B, a 3.1.1 client is closed, pending state is written, exit code 0', async (t) => {
  const dataDir = tempDir(t);
  const first = await startHakoProcess(t, dataDir);
  const v5 = (await RawClient.connect(first.ports.mqtt, { clientId: 'term-v5' }, 5)).client;
  const v4 = (await RawClient.connect(first.ports.mqtt, { clientId: 'term-v4' }, 4)).client;
  const overWebSocket = await openWebSocketMqtt(first.ports.http, 'mqtt', 5, 'term-ws-v5');
  // A persistent session made just before the signal: shutting down must write it.
  const persistent = await RawClient.connect(first.ports.mqtt, { clientId: 'term-persistent', clean: false, properties: { sessionExpiryInterval: 3600 } }, 5);
  persistent.client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'term/#', qos: 1 }] });
  assert.deepEqual(((await persistent.client.next('suback')) as ISubackPacket).granted, [1]);

  first.hako.child.kill('SIGTERM');
  const disconnect = (await v5.next('disconnect', 5000)) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x8b);
  await v4.closed;
  assert.deepEqual(v4.received.map((p) => p.cmd), [], 'a 3.1.1 client gets no DISCONNECT, only a closed connection');
  await v5.closed;
  const wsDisconnect = (await overWebSocket.next()) as IDisconnectPacket;
  assert.equal(wsDisconnect.cmd, 'disconnect', 'a v5 client over WebSocket gets DISCONNECT too');
  assert.equal(wsDisconnect.reasonCode, 0x8b);
  await overWebSocket.closed;
  assert.deepEqual(await waitForExit(first.hako), { code: 0, signal: null });
  assert.equal(first.hako.stderr(), '');

  const second = await startHakoProcess(t, dataDir);
  const back = await RawClient.connect(second.ports.mqtt, { clientId: 'term-persistent', clean: false, properties: { sessionExpiryInterval: 3600 } }, 5);
  assert.equal(back.connack.sessionPresent, true);
  const { client: publisher } = await RawClient.connect(second.ports.mqtt, { clientId: 'term-publisher' }, 5);
  publisher.send({ cmd: 'publish', topic: 'term/after', payload: Buffer.from('still subscribed'), qos: 1, retain: false, dup: false, messageId: 1 });
  await publisher.next('puback');
  const delivered = (await back.client.next('publish')) as IPublishPacket;
  assert.equal(delivered.payload.toString(), 'still subscribed');
  await publisher.disconnect();
  await back.client.disconnect();
});

test('data directory permissions: a new data directory is 0700 and ports.json 0600', async (t) => {
  const root = tempDir(t);
  const dataDir = path.join(root, 'nested', 'data');
  mkdirSync(path.join(root, 'nested'), { mode: 0o755 });
  await startHakoProcess(t, dataDir);
  assert.equal((statSync(dataDir).mode & 0o777).toString(8), '700');
  assert.equal((statSync(path.join(dataDir, 'ports.json')).mode & 0o777).toString(8), '600');
});
