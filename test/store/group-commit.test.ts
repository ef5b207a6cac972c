import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/store/group-commit.js';

test('writes made in one turn are committed together, once, and resolve after the commit', async () => {
  const commits: number[][] = [];
  const group = new GroupCommit<number>((items) => void commits.push([...items]));
  const first = group.write([1, 2]);
  const second = group.write([3]);
  assert.deepEqual(commits, [], 'nothing commits before the turn ends');
  await Promise.all([first, second]);
  assert.deepEqual(commits, [[1, 2, 3]]);
  await group.write([4]);
  assert.deepEqual(commits, [[1, 2, 3], [4]]);
});

test('a failed commit rejects every write it held, and the next turn starts clean', async () => {
  let fail = true;
  const committed: number[] = [];
  const group = new GroupCommit<number>((items) => {
    if (fail) throw new Error('disk full');
    committed.push(...items);
  });
  const outcomes = await Promise.allSettled([group.write([1]), group.write([2])]);
  assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
  fail = false;
  await group.write([3]);
  assert.deepEqual(committed, [3]);
});

test('flush commits at once (before a delete that must see the writes); with nothing queued it does nothing', async () => {
  let commits = 0;
  const group = new GroupCommit<number>(() => void commits++);
  group.flush();
  assert.equal(commits, 0);
  const written = group.write([1]);
  group.flush();
  assert.equal(commits, 1);
  await written;
  await new Promise((resolve) => setImmediate(resolve)); // the turn's scheduled flush finds nothing left
  assert.equal(commits, 1);
});
