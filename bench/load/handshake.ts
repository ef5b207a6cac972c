/**
 * @module bench/load/handshake — opens a TCP connection and completes CONNECT/CONNACK, then optionally
 * SUBSCRIBE/SUBACK, before the hot path takes the socket over.
 */
import net from 'node:net';
import { FrameReader } from './frame-reader.js';
import { encodeConnect, encodeSubscribe, type ProtocolLevel, type QoS } from './packets.js';

export interface HandshakeOptions {
  port: number;
  clientId: string;
  protocol: ProtocolLevel;
  /** Subscribe to these filters (one SUBSCRIBE) after CONNACK. */
  subscribe?: { filters: readonly string[]; qos: QoS };
  timeoutMs: number;
}

/**
 * A connected (and maybe subscribed) socket, paused so no byte is lost before the new owner attaches its
 * `data` listener and calls `resume()`, plus the bytes that arrived after the last handshake packet.
 */
export interface OpenSession {
  socket: net.Socket;
  rest: Buffer | null;
}

const CONNACK = 2;
const SUBACK = 9;

/** Names of the CONNACK codes a benchmark run is likely to meet (3.1.1 return codes, 5.0 reason codes). */
const CONNACK_REASONS: Record<number, string> = {
  0x01: 'unacceptable protocol version',
  0x02: 'identifier rejected',
  0x03: 'server unavailable',
  0x04: 'bad user name or password',
  0x05: 'not authorized',
  0x84: 'unsupported protocol version',
  0x87: 'not authorized',
  0x97: 'quota exceeded',
};

function connackReason(code: number): string {
  const name = CONNACK_REASONS[code];
  return name === undefined ? '' : ` (${name})`;
}

export function openSession(opts: HandshakeOptions): Promise<OpenSession> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: opts.port, host: '127.0.0.1', noDelay: true });
    let stage: 'connack' | 'suback' | 'done' = 'connack';
    const fail = (reason: string): false => {
      if (stage !== 'done') {
        stage = 'done';
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`${opts.clientId}: ${reason}`));
      }
      return false;
    };
    const timer = setTimeout(() => fail(`no ${stage.toUpperCase()} within ${opts.timeoutMs} ms`), opts.timeoutMs);
    const reader = new FrameReader((first, buf, start, end) => {
      const type = first >> 4;
      if (stage === 'connack' && type === CONNACK) {
        const code = buf[start + 1] ?? 0xff;
        if (code !== 0) return fail(`CONNACK refused with code 0x${code.toString(16)}${connackReason(code)}`);
        if (opts.subscribe === undefined) return false;
        stage = 'suback';
        socket.write(encodeSubscribe(opts.subscribe.filters, opts.subscribe.qos, opts.protocol));
        return true;
      }
      if (stage === 'suback' && type === SUBACK) {
        // One return code per filter, at the end of the packet in both 3.1.1 and 5.0.
        const count = opts.subscribe?.filters.length ?? 1;
        for (let i = end - count; i < end; i++) {
          const granted = i >= start ? (buf[i] ?? 0x80) : 0x80;
          if (granted >= 0x80) return fail(`SUBACK refused with code 0x${granted.toString(16)}`);
        }
        return false;
      }
      return fail(`unexpected packet type ${type} while waiting for ${stage.toUpperCase()}`);
    });
    const onData = (chunk: Buffer): void => {
      let rest: Buffer | null;
      try {
        rest = reader.push(chunk);
      } catch (err) {
        fail((err as Error).message);
        return;
      }
      if (rest === null || stage === 'done') return;
      stage = 'done';
      clearTimeout(timer);
      socket.pause();
      socket.off('data', onData).off('close', onClose).off('error', onError);
      // Until the new owner attaches its own listener, an error must not crash the worker.
      socket.on('error', () => undefined);
      resolve({ socket, rest: rest.length > 0 ? rest : null });
    };
    const onClose = (): void => void fail(`connection closed while waiting for ${stage.toUpperCase()}`);
    const onError = (err: Error): void => void fail(err.message);
    socket.on('data', onData).on('close', onClose).on('error', onError);
    socket.once('connect', () => socket.write(encodeConnect(opts.clientId, opts.protocol)));
  });
}
