/**
 * @module test/helpers/raw-client — a packet-level MQTT client for protocol tests: it sends exactly the
 * packets a test gives it (valid or not) and lets the test await each packet the server sends back.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import type { TestContext } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { IPubackPacket, IPublishPacket, ISubackPacket, ISubscription, Packet, QoS } from 'mqtt-packet';

export type ProtocolVersion = 3 | 4 | 5;

let lastPacketId = 0;

/** A packet id for a SUBSCRIBE, UNSUBSCRIBE or QoS > 0 PUBLISH a test sends: one counter for every
 *  client, so no two packets in flight on a connection share one [MQTT-2.2.1-3]. */
export function nextPacketId(): number {
  lastPacketId = (lastPacketId % 65535) + 1;
  return lastPacketId;
}

/** How long `next` waits by default; a test fails with a clear message instead of hanging. */
const DEFAULT_TIMEOUT_MS = 3000;

export class RawClient {
  readonly socket: net.Socket;
  readonly received: Packet[] = [];
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  protocolVersion: ProtocolVersion;
  #waiters: Array<{ match: (p: Packet) => boolean; resolve: (p: Packet) => void }> = [];
  #isClosed = false;

  private constructor(socket: net.Socket, protocolVersion: ProtocolVersion) {
    this.socket = socket;
    this.protocolVersion = protocolVersion;
    const parser = mqttPacket.parser({ protocolVersion });
    parser.on('packet', (packet: Packet) => this.#deliver(packet));
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.#isClosed = true;
      resolve();
    }));
  }

  static async open(port: number, protocolVersion: ProtocolVersion = 5): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket, protocolVersion);
  }

  /** Opens a connection, sends CONNECT and returns once CONNACK arrives. */
  /** Opens a TLS connection (to hako's mqtts port: `servername` localhost, which its certificate names). */
  static async openTls(port: number, options: tls.ConnectionOptions, protocolVersion: ProtocolVersion = 5): Promise<RawClient> {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket, protocolVersion);
  }

  static async connect(port: number, connect: Partial<mqttPacket.IConnectPacket> & { clientId: string }, protocolVersion: ProtocolVersion = 5): Promise<{ client: RawClient; connack: mqttPacket.IConnackPacket }> {
    return (await RawClient.open(port, protocolVersion)).handshake(connect);
  }

  /** Like `connect`, over TLS with the given client certificate options. */
  static async connectTls(port: number, options: tls.ConnectionOptions, connect: Partial<mqttPacket.IConnectPacket> & { clientId: string }, protocolVersion: ProtocolVersion = 5): Promise<{ client: RawClient; connack: mqttPacket.IConnackPacket }> {
    return (await RawClient.openTls(port, options, protocolVersion)).handshake(connect);
  }

  /** Sends CONNECT and returns once CONNACK arrives. */
  async handshake(connect: Partial<mqttPacket.IConnectPacket> & { clientId: string }): Promise<{ client: RawClient; connack: mqttPacket.IConnackPacket }> {
    const client = this;
    const { protocolVersion } = this;
    client.send({ cmd: 'connect', protocolVersion, protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT', clean: true, keepalive: 0, ...connect });
    const connack = (await client.next('connack')) as mqttPacket.IConnackPacket;
    return { client, connack };
  }

  /** Connects a client that is destroyed when test `t` ends, asserting that CONNACK accepted it. */
  static async connectForTest(t: TestContext, port: number, clientId: string, protocolVersion: ProtocolVersion = 5, fields: Partial<mqttPacket.IConnectPacket> = {}): Promise<RawClient> {
    const { client, connack } = await RawClient.connect(port, { clientId, ...fields }, protocolVersion);
    assert.equal(protocolVersion === 5 ? connack.reasonCode : connack.returnCode, 0, `CONNACK for ${clientId}`);
    t.after(() => client.destroy());
    return client;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send(packet: Packet): void {
    this.socket.write(mqttPacket.generate(packet, { protocolVersion: this.protocolVersion }));
  }

  sendBytes(bytes: Buffer | Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next packet of type `cmd` (or any type) not yet consumed; rejects after `timeoutMs`. */
  next(cmd?: Packet['cmd'], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Packet> {
    const match = (p: Packet): boolean => cmd === undefined || p.cmd === cmd;
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0] as Packet);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (p: Packet) => { clearTimeout(timer); resolve(p); } };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${cmd ?? 'packet'} within ${timeoutMs} ms; got so far: ${this.received.map((p) => p.cmd).join(', ') || 'nothing'}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Resolves with the packets of type `cmd` once `count` of them have arrived. */
  async collect(cmd: Packet['cmd'], count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Packet[]> {
    const packets: Packet[] = [];
    for (let i = 0; i < count; i++) packets.push(await this.next(cmd, timeoutMs));
    return packets;
  }

  /** Round trip with PINGREQ: everything the server sent before the PINGRESP has arrived by then. */
  async sync(): Promise<void> {
    this.send({ cmd: 'pingreq' });
    await this.next('pingresp');
  }

  /** Sends SUBSCRIBE (a bare filter is subscribed at `qos`, default 1) and returns the SUBACK's codes. */
  async subscribe(subscriptions: ISubscription[] | string, options: { qos?: QoS; properties?: { subscriptionIdentifier?: number } } = {}): Promise<number[]> {
    const messageId = nextPacketId();
    const list = typeof subscriptions === 'string' ? [{ topic: subscriptions, qos: options.qos ?? 1 }] : subscriptions;
    this.send({ cmd: 'subscribe', messageId, subscriptions: list, ...(options.properties ? { properties: options.properties } : {}) });
    const suback = (await this.next('suback')) as ISubackPacket;
    assert.equal(suback.messageId, messageId);
    return suback.granted as number[];
  }

  /** QoS 1 PUBLISH; returns its PUBACK. */
  async publishQos1(topic: string, payload: string | Buffer, properties?: IPublishPacket['properties'], retain = false): Promise<IPubackPacket> {
    const messageId = nextPacketId();
    this.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false, messageId, ...(properties ? { properties } : {}) });
    const puback = (await this.next('puback')) as IPubackPacket;
    assert.equal(puback.messageId, messageId);
    return puback;
  }

  /** The next PUBLISH, acknowledged as its QoS requires (QoS 2: PUBREC, PUBREL, PUBCOMP). */
  async receive(timeoutMs?: number): Promise<IPublishPacket> {
    const packet = (await this.next('publish', timeoutMs)) as IPublishPacket;
    if (packet.qos === 1) this.send({ cmd: 'puback', messageId: packet.messageId });
    if (packet.qos === 2) {
      this.send({ cmd: 'pubrec', messageId: packet.messageId });
      assert.equal((await this.next('pubrel')).messageId, packet.messageId);
      this.send({ cmd: 'pubcomp', messageId: packet.messageId });
    }
    return packet;
  }

  /** Resolves once the server has closed the connection; rejects if it stays open for `timeoutMs`. */
  async expectClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server did not close the connection within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** After a PINGREQ round trip, asserts that no unconsumed packet of these kinds (default PUBLISH) arrived. */
  async assertNothingMore(...kinds: Packet['cmd'][]): Promise<void> {
    await this.sync();
    const wanted = kinds.length === 0 ? ['publish'] : kinds;
    const unexpected = this.received.filter((p) => wanted.includes(p.cmd));
    assert.deepEqual(unexpected.map((p) => `${p.cmd} ${(p as { topic?: string }).topic ?? ''} ${(p as { payload?: Buffer }).payload?.toString() ?? ''}`.trim()), [], `no further ${wanted.join('/')} expected`);
  }

  /** Closes the socket without DISCONNECT (as a crashed device would). */
  destroy(): void {
    this.socket.destroy();
  }

  async disconnect(properties?: mqttPacket.IDisconnectPacket['properties']): Promise<void> {
    this.send({ cmd: 'disconnect', ...(properties ? { properties } : {}) });
    this.socket.end();
    await this.closed;
  }

  #deliver(packet: Packet): void {
    const index = this.#waiters.findIndex((w) => w.match(packet));
    if (index >= 0) {
      const [waiter] = this.#waiters.splice(index, 1);
      waiter?.resolve(packet);
      return;
    }
    this.received.push(packet);
  }
}
