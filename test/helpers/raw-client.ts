/**
 * @module test/helpers/raw-client — a packet-level MQTT client for protocol tests: it sends exactly the
 * packets a test gives it (valid or not) and lets the test await each packet the server sends back.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';

export type ProtocolVersion = 3 | 4 | 5;

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
  static async connect(port: number, connect: Partial<mqttPacket.IConnectPacket> & { clientId: string }, protocolVersion: ProtocolVersion = 5): Promise<{ client: RawClient; connack: mqttPacket.IConnackPacket }> {
    const client = await RawClient.open(port, protocolVersion);
    client.send({ cmd: 'connect', protocolVersion, protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT', clean: true, keepalive: 0, ...connect });
    const connack = (await client.next('connack')) as mqttPacket.IConnackPacket;
    return { client, connack };
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
