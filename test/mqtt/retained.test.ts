/** @module test/mqtt/retained.test — the retained-message table: what it keeps, what it journals, what it hands out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetainedMessages } from '../../src/mqtt/retained.js';
import type { Message } from '../../src/mqtt/message.js';

const message = (topic: string, payload: string, expiresAt?: number): Message => ({ topic, payload: Buffer.from(payload), qos: 1, retain: true, properties: undefined, expiresAt, origin: 'c' });

test('apply: a payload stores or replaces (op put), an empty payload clears (op delete), clearing nothing journals nothing', () => {
  const retained = new RetainedMessages();
  const first = message('a/b', 'one');
  assert.deepEqual(retained.apply(first, 10), { kind: 'put', message: first });
  const second = message('a/b', 'two');
  assert.deepEqual(retained.apply(second, 20), { kind: 'put', message: second });
  assert.deepEqual(retained.entry('a/b', 20), { message: second, lastModified: 20 });
  assert.deepEqual(retained.apply(message('a/b', ''), 30), { kind: 'delete', topic: 'a/b' });
  assert.equal(retained.apply(message('a/b', ''), 40), undefined);
  assert.equal(retained.size, 0);
});

test('forEachMatching: exact topics, wildcards, and never an expired message', () => {
  const retained = new RetainedMessages();
  retained.load(message('home/kitchen/rh', '41'), 1);
  retained.load(message('home/hall/rh', '39'), 1);
  retained.load(message('home/attic/rh', 'old', 100), 1);
  retained.load(message('$aws/things/x/shadow', 's'), 1);
  const seen = (filter: string, now: number): string[] => {
    const topics: string[] = [];
    retained.forEachMatching(filter, now, (m) => topics.push(m.topic));
    return topics.sort();
  };
  assert.deepEqual(seen('home/kitchen/rh', 50), ['home/kitchen/rh']);
  assert.deepEqual(seen('home/+/rh', 50), ['home/attic/rh', 'home/hall/rh', 'home/kitchen/rh']);
  assert.deepEqual(seen('home/+/rh', 100), ['home/hall/rh', 'home/kitchen/rh'], 'expired at its expiry time');
  assert.deepEqual(seen('home/attic/rh', 100), []);
  assert.deepEqual(seen('#', 50), ['home/attic/rh', 'home/hall/rh', 'home/kitchen/rh'], '# does not match $ topics [MQTT-4.7.2-1]');
});

test('entries: unexpired ones in topic order, with when they were stored', () => {
  const retained = new RetainedMessages();
  retained.apply(message('b', '2'), 5);
  retained.apply(message('a', '1'), 7);
  retained.apply(message('c', '3', 6), 8);
  assert.deepEqual(retained.entries(6).map((e) => [e.message.topic, e.lastModified]), [['a', 7], ['b', 5]]);
});
