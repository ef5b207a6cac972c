import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hooks } from '../../src/core/hooks.js';

const payload = { clientId: 'c', filter: 'a/b' };

test('listeners run in priority order, then registration order', () => {
  const hooks = new Hooks(() => assert.fail('no listener throws'));
  const order: string[] = [];
  hooks.on('subscription.removed', () => order.push('b0'));
  hooks.on('subscription.removed', () => order.push('late'), 10);
  hooks.on('subscription.removed', () => order.push('early'), -10);
  hooks.on('subscription.removed', () => order.push('c0'));
  hooks.emit('subscription.removed', payload);
  assert.deepEqual(order, ['early', 'b0', 'c0', 'late']);
});

test('a throwing listener is reported and does not stop the others', () => {
  const errors: unknown[] = [];
  const hooks = new Hooks((name, error) => errors.push([name, (error as Error).message]));
  let ran = false;
  hooks.on('subscription.removed', () => {
    throw new Error('boom');
  });
  hooks.on('subscription.removed', () => {
    ran = true;
  });
  hooks.emit('subscription.removed', payload);
  assert.ok(ran);
  assert.deepEqual(errors, [['subscription.removed', 'boom']]);
});

test('a listener that unsubscribes itself during emit does not make the next one miss the event', () => {
  const hooks = new Hooks(() => undefined);
  const seen: string[] = [];
  const off = hooks.on('subscription.removed', () => {
    seen.push('first');
    off();
  });
  hooks.on('subscription.removed', () => seen.push('second'));
  hooks.emit('subscription.removed', payload);
  hooks.emit('subscription.removed', payload);
  assert.deepEqual(seen, ['first', 'second', 'second']);
});

test('has() tells whether anyone listens', () => {
  const hooks = new Hooks(() => undefined);
  assert.equal(hooks.has('message.publish'), false);
  const off = hooks.on('message.publish', () => undefined);
  assert.equal(hooks.has('message.publish'), true);
  off();
  assert.equal(hooks.has('message.publish'), false);
});
