/**
 * @module test/contract/fixtures — messages and outbound entries that exercise every field a store must
 * keep, shared by the session and retained store contracts.
 */
import type { Message } from '../../src/mqtt/message.js';
import type { OutboundEntry } from '../../src/mqtt/session/store.js';

export function makeMessage(overrides: Partial<Message> = {}): Message {
  return {
    topic: 'home/kitchen/humidity',
    payload: Buffer.from('{"rh":41}'),
    qos: 1,
    retain: false,
    properties: undefined,
    expiresAt: undefined,
    origin: 'sensor-1',
    ...overrides,
  };
}

export function makeEntry(seq: number, overrides: Partial<OutboundEntry> = {}): OutboundEntry {
  return {
    seq,
    message: makeMessage({ topic: `t/${seq}`, payload: Buffer.from(`payload ${seq}`) }),
    qos: 1,
    packetId: undefined,
    state: 'queued',
    subscriptionIds: undefined,
    retain: false,
    ...overrides,
  };
}

/** Messages that between them use every field and the edge values a column mapping tends to get wrong. */
export const awkwardMessages: readonly Message[] = [
  makeMessage({ topic: 'bin/zeros', payload: Buffer.from([0, 0, 1, 0, 255, 0]), qos: 2, retain: true }),
  makeMessage({ topic: 'bin/empty', payload: Buffer.alloc(0), qos: 0, origin: undefined }),
  makeMessage({
    topic: 'props/all',
    properties: {
      payloadFormatIndicator: true,
      contentType: 'application/json',
      responseTopic: 'reply/here',
      correlationData: Buffer.from([0, 1, 2, 0, 254]),
      userProperties: { single: 'one', many: ['a', 'b', ''], 'ünï cødé': 'ok' },
    },
    expiresAt: 1_767_225_600_123,
  }),
  makeMessage({ topic: 'props/empty', properties: {}, expiresAt: 0, origin: '' }),
  makeMessage({ topic: 'props/no-format', properties: { payloadFormatIndicator: false, correlationData: Buffer.alloc(0) } }),
  makeMessage({ topic: 'unicode/温度/ü', payload: Buffer.from('ünïcode ✓', 'utf8') }),
];
