import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedQueue } from '../../src/shadow/keyed-queue.js';

/** A promise with its settle functions, to control when a task finishes. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void; fail: (error: Error) => void } {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('KeyedQueue', () => {
  it('runs the tasks of one key one at a time, in the order they were queued', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const first = gate();
    const a = queue.run('k', async () => {
      events.push('a start');
      await first.promise;
      events.push('a end');
      return 'a';
    });
    const b = queue.run('k', async () => {
      events.push('b start');
      return 'b';
    });
    assert.deepEqual(events, ['a start'], 'an idle key starts its task at once; b waits');
    first.open();
    assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
    assert.deepEqual(events, ['a start', 'a end', 'b start']);
    assert.equal(queue.size, 0);
  });

  it('lets different keys run side by side', async () => {
    const queue = new KeyedQueue();
    const blocked = gate();
    const slow = queue.run('one', () => blocked.promise.then(() => 'one'));
    assert.equal(await queue.run('two', async () => 'two'), 'two');
    assert.equal(queue.size, 1);
    blocked.open();
    assert.equal(await slow, 'one');
  });

  it('passes a failure to its caller only, and the key goes on with the next task', async () => {
    const queue = new KeyedQueue();
    const failing = gate();
    const rejected = queue.run('k', () => failing.promise);
    const thrown = queue.run('k', () => {
      throw new Error('synchronous');
    });
    const next = queue.run('k', async () => 'still runs');
    failing.fail(new Error('asynchronous'));
    await assert.rejects(rejected, /asynchronous/);
    await assert.rejects(thrown, /synchronous/);
    assert.equal(await next, 'still runs');
  });

  it('drain waits for running tasks and for those queued while draining', async () => {
    const queue = new KeyedQueue();
    await queue.drain(); // nothing queued: resolves
    const first = gate();
    const finished: string[] = [];
    void queue.run('k', async () => {
      await first.promise;
      finished.push('first');
      void queue.run('other', async () => void finished.push('queued while draining'));
    });
    const drained = queue.drain().then(() => finished.slice());
    first.open();
    assert.deepEqual(await drained, ['first', 'queued while draining']);
    assert.equal(queue.size, 0);
  });
});
