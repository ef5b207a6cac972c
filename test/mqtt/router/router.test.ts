/**
 * @module test/mqtt/router/router — `Router`: ordinary fan-out, shared-subscription round-robin with
 * online/offline members, group lifecycle, and replacement of options on re-subscribe.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Router } from '../../../src/mqtt/router/router.js';

interface Opts {
  qos: number;
}

type Visit = [clientId: string, qos: number, filter: string, group: string | undefined];

/** A router whose online set the test controls. */
function setup(): { router: Router<Opts>; online: Set<string> } {
  const online = new Set<string>();
  return { router: new Router<Opts>((id) => online.has(id)), online };
}

function route(router: Router<Opts>, topic: string): Visit[] {
  const out: Visit[] = [];
  router.route(topic, (clientId, options, filter, group) => out.push([clientId, options.qos, filter, group]));
  return out;
}

/** Routes `count` messages and returns the client chosen for the given share group each time. */
function receivers(router: Router<Opts>, topic: string, count: number, group = 'g'): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    for (const [clientId, , , g] of route(router, topic)) if (g === group) out.push(clientId);
  }
  return out;
}

describe('Router ordinary subscriptions', () => {
  test('every overlapping subscription of one client is visited (the broker dedupes) [MQTT-3.3.4-2]', () => {
    const { router } = setup();
    router.subscribe('c', 'a/b', { qos: 0 });
    router.subscribe('c', 'a/+', { qos: 1 });
    router.subscribe('c', 'a/#', { qos: 2 });
    router.subscribe('c', 'x/#', { qos: 2 });
    assert.deepEqual(route(router, 'a/b').sort(), [
      ['c', 0, 'a/b', undefined],
      ['c', 1, 'a/+', undefined],
      ['c', 2, 'a/#', undefined],
    ].sort());
  });

  test('each subscribed client is visited once per matching filter', () => {
    const { router } = setup();
    router.subscribe('c1', 'a/b', { qos: 0 });
    router.subscribe('c2', 'a/b', { qos: 1 });
    router.subscribe('c3', 'a/c', { qos: 1 });
    assert.deepEqual(route(router, 'a/b').map(([id]) => id).sort(), ['c1', 'c2']);
  });

  test("'$' topics skip leading wildcards but reach explicit '$' filters [MQTT-4.7.2-1]", () => {
    const { router } = setup();
    router.subscribe('all', '#', { qos: 0 });
    router.subscribe('aws', '$aws/things/+/shadow/#', { qos: 1 });
    assert.deepEqual(route(router, '$aws/things/t1/shadow/update'), [['aws', 1, '$aws/things/+/shadow/#', undefined]]);
  });

  test('re-subscribing to the same filter replaces the options [MQTT-3.8.4-3]', () => {
    const { router } = setup();
    assert.equal(router.subscribe('c', 'a/b', { qos: 0 }), true);
    assert.equal(router.subscribe('c', 'a/b', { qos: 2 }), false);
    assert.equal(router.size, 1);
    assert.deepEqual(route(router, 'a/b'), [['c', 2, 'a/b', undefined]]);
  });

  test('unsubscribe removes only that filter and reports whether it existed [MQTT-3.10.4-1]', () => {
    const { router } = setup();
    router.subscribe('c', 'a/b', { qos: 0 });
    router.subscribe('c', 'a/+', { qos: 1 });
    assert.equal(router.unsubscribe('c', 'a/b'), true);
    assert.equal(router.unsubscribe('c', 'a/b'), false);
    assert.equal(router.unsubscribe('other', 'a/+'), false);
    assert.equal(router.size, 1);
    assert.deepEqual(route(router, 'a/b'), [['c', 1, 'a/+', undefined]]);
  });
});

describe('Router shared subscriptions', () => {
  function group3(): { router: Router<Opts>; online: Set<string> } {
    const s = setup();
    for (const id of ['m1', 'm2', 'm3']) s.router.subscribe(id, '$share/g/jobs/+', { qos: 1 });
    return s;
  }

  test('the visit carries the inner filter and the share name', () => {
    const { router, online } = group3();
    online.add('m1');
    assert.deepEqual(route(router, 'jobs/7'), [['m1', 1, 'jobs/+', 'g']]);
  });

  test('round-robin across online members in join order: 9 messages → 3 each', () => {
    const { router, online } = group3();
    ['m1', 'm2', 'm3'].forEach((id) => online.add(id));
    assert.deepEqual(receivers(router, 'jobs/1', 9), ['m1', 'm2', 'm3', 'm1', 'm2', 'm3', 'm1', 'm2', 'm3']);
  });

  test('offline members are skipped while any member is online', () => {
    const { router, online } = group3();
    online.add('m1').add('m3');
    assert.deepEqual(receivers(router, 'jobs/1', 4), ['m1', 'm3', 'm1', 'm3']);
    online.delete('m3');
    assert.deepEqual(receivers(router, 'jobs/1', 2), ['m1', 'm1']);
  });

  test('a member coming online rejoins the rotation at its place', () => {
    const { router, online } = group3();
    online.add('m1').add('m3');
    assert.deepEqual(receivers(router, 'jobs/1', 1), ['m1']);
    online.add('m2');
    assert.deepEqual(receivers(router, 'jobs/1', 3), ['m2', 'm3', 'm1']);
  });

  test('when no member is online, round-robin over all members so a persistent one can queue it', () => {
    const { router } = group3();
    assert.deepEqual(receivers(router, 'jobs/1', 4), ['m1', 'm2', 'm3', 'm1']);
  });

  test('exactly one member of the group receives each message', () => {
    const { router, online } = group3();
    online.add('m2');
    for (let i = 0; i < 5; i++) assert.equal(route(router, 'jobs/1').length, 1);
  });

  test('two groups matching the same topic each get one copy', () => {
    const { router, online } = setup();
    ['a1', 'a2', 'b1'].forEach((id) => online.add(id));
    router.subscribe('a1', '$share/ga/t/#', { qos: 0 });
    router.subscribe('a2', '$share/ga/t/#', { qos: 0 });
    router.subscribe('b1', '$share/gb/t/+', { qos: 0 });
    router.subscribe('plain', 't/x', { qos: 0 });
    assert.equal(router.shareGroupCount, 2);
    const got = route(router, 't/x').sort();
    assert.deepEqual(got, [
      ['a1', 0, 't/#', 'ga'],
      ['b1', 0, 't/+', 'gb'],
      ['plain', 0, 't/x', undefined],
    ]);
    assert.deepEqual(receivers(router, 't/x', 1, 'ga'), ['a2']);
  });

  test('the same share name on different inner filters is two groups', () => {
    const { router, online } = setup();
    online.add('c1').add('c2');
    router.subscribe('c1', '$share/g/t/#', { qos: 0 });
    router.subscribe('c2', '$share/g/t/x', { qos: 0 });
    assert.deepEqual(route(router, 't/x').sort(), [['c1', 0, 't/#', 'g'], ['c2', 0, 't/x', 'g']]);
  });

  test('a client with both a shared and an ordinary subscription gets both', () => {
    const { router, online } = setup();
    online.add('c');
    router.subscribe('c', 't', { qos: 0 });
    router.subscribe('c', '$share/g/t', { qos: 1 });
    assert.equal(router.size, 2);
    assert.deepEqual(route(router, 't').sort(), [['c', 0, 't', undefined], ['c', 1, 't', 'g']]);
  });

  test('a member leaving keeps the rotation going with whoever was due next', () => {
    const cases: ReadonlyArray<readonly [string, number, string, string[]]> = [
      // [name, messages before leaving, leaver, next four receivers]
      ['earlier member leaves', 2, 'm1', ['m3', 'm2', 'm3', 'm2']],
      ['member due next leaves', 1, 'm2', ['m3', 'm1', 'm3', 'm1']],
      ['last member leaves while due next', 2, 'm3', ['m1', 'm2', 'm1', 'm2']],
      ['just-served member leaves', 1, 'm1', ['m2', 'm3', 'm2', 'm3']],
    ];
    for (const [name, before, leaver, after] of cases) {
      const { router, online } = group3();
      ['m1', 'm2', 'm3'].forEach((id) => online.add(id));
      receivers(router, 'jobs/1', before);
      assert.equal(router.unsubscribe(leaver, '$share/g/jobs/+'), true, name);
      assert.deepEqual(receivers(router, 'jobs/1', 4), after, name);
    }
  });

  test('re-subscribing a member replaces its options and keeps its place [MQTT-3.8.4-3]', () => {
    const { router, online } = group3();
    ['m1', 'm2', 'm3'].forEach((id) => online.add(id));
    assert.equal(router.subscribe('m1', '$share/g/jobs/+', { qos: 2 }), false);
    assert.equal(router.size, 3);
    const got = [];
    for (let i = 0; i < 3; i++) got.push(...route(router, 'jobs/1'));
    assert.deepEqual(got, [['m1', 2, 'jobs/+', 'g'], ['m2', 1, 'jobs/+', 'g'], ['m3', 1, 'jobs/+', 'g']]);
  });

  test('unsubscribe removes members, reports misses, and drops the group when empty', () => {
    const { router } = group3();
    assert.equal(router.size, 3);
    assert.equal(router.shareGroupCount, 1);
    assert.equal(router.unsubscribe('m1', '$share/other/jobs/+'), false);
    assert.equal(router.unsubscribe('m1', '$share/g/jobs/#'), false);
    assert.equal(router.unsubscribe('stranger', '$share/g/jobs/+'), false);
    assert.equal(router.unsubscribe('m1', 'jobs/+'), false); // ordinary filter is a different subscription
    assert.equal(router.unsubscribe('m1', '$share/g/jobs/+'), true);
    assert.equal(router.unsubscribe('m1', '$share/g/jobs/+'), false);
    assert.equal(router.size, 2);
    assert.deepEqual(receivers(router, 'jobs/1', 2), ['m2', 'm3']);
    router.unsubscribe('m2', '$share/g/jobs/+');
    router.unsubscribe('m3', '$share/g/jobs/+');
    assert.equal(router.size, 0);
    assert.equal(router.shareGroupCount, 0);
    assert.deepEqual(route(router, 'jobs/1'), []);
    // A re-created group starts fresh: the sole member gets every message.
    assert.equal(router.subscribe('m3', '$share/g/jobs/+', { qos: 0 }), true);
    assert.deepEqual(receivers(router, 'jobs/1', 2), ['m3', 'm3']);
  });
});

describe('Router re-entrancy', () => {
  test('a visitor may route another message without disturbing the outer route', () => {
    const { router, online } = setup();
    online.add('c1').add('c2');
    router.subscribe('c1', 'outer', { qos: 0 });
    router.subscribe('c2', 'outer', { qos: 0 });
    router.subscribe('c1', 'inner', { qos: 1 });
    const outer: string[] = [];
    const inner: string[] = [];
    router.route('outer', (clientId) => {
      outer.push(clientId);
      router.route('inner', (id, options, filter) => inner.push(`${id}:${options.qos}:${filter}`));
    });
    assert.deepEqual(outer.sort(), ['c1', 'c2']);
    assert.deepEqual(inner, ['c1:1:inner', 'c1:1:inner']);
  });
});
