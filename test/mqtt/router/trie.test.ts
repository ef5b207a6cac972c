/**
 * @module test/mqtt/router/trie — `SubscriptionTrie`: bookkeeping (add/replace/remove/get/size), pruning,
 * the shared match table, and a seeded property test against the `topicMatches` oracle.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { topicMatches } from '../../../src/mqtt/router/topic.js';
import { SubscriptionTrie } from '../../../src/mqtt/router/trie.js';
import { MATCH_CASES } from './match-cases.js';

/** Every visit as `filter|key|value`, in visit order (duplicates kept so tests can see them). */
function visits<V>(trie: SubscriptionTrie<V>, topic: string): string[] {
  const out: string[] = [];
  trie.match(topic, (key, value, filter) => out.push(`${filter}|${key}|${String(value)}`));
  return out;
}

describe('SubscriptionTrie bookkeeping', () => {
  test('add returns true for a new key and false when it replaces the value [MQTT-3.8.4-3]', () => {
    const trie = new SubscriptionTrie<number>();
    assert.equal(trie.add('a/+', 'c1', 1), true);
    assert.equal(trie.add('a/+', 'c2', 2), true);
    assert.equal(trie.add('a/+', 'c1', 3), false);
    assert.equal(trie.size, 2);
    assert.equal(trie.get('a/+', 'c1'), 3);
    assert.deepEqual(visits(trie, 'a/x').sort(), ['a/+|c1|3', 'a/+|c2|2']);
  });

  test('the same key under different filters is separate entries', () => {
    const trie = new SubscriptionTrie<string>();
    trie.add('a/b', 'c', 'exact');
    trie.add('a/+', 'c', 'plus');
    trie.add('a/#', 'c', 'hash');
    trie.add('#', 'c', 'all');
    assert.equal(trie.size, 4);
    assert.deepEqual(visits(trie, 'a/b').sort(), ['#|c|all', 'a/#|c|hash', 'a/+|c|plus', 'a/b|c|exact']);
  });

  test('get distinguishes wildcard levels from literal levels', () => {
    const trie = new SubscriptionTrie<number>();
    trie.add('a/+', 'c', 1);
    assert.equal(trie.get('a/+', 'c'), 1);
    assert.equal(trie.get('a/#', 'c'), undefined);
    assert.equal(trie.get('a/x', 'c'), undefined);
    assert.equal(trie.get('a/+', 'other'), undefined);
    assert.equal(trie.get('a', 'c'), undefined);
  });

  test('remove reports whether the entry existed and keeps other keys of the filter', () => {
    const trie = new SubscriptionTrie<number>();
    trie.add('a/b', 'c1', 1);
    trie.add('a/b', 'c2', 2);
    assert.equal(trie.remove('a/b', 'missing'), false);
    assert.equal(trie.remove('a/x', 'c1'), false);
    assert.equal(trie.remove('a', 'c1'), false);
    assert.equal(trie.remove('a/b', 'c1'), true);
    assert.equal(trie.remove('a/b', 'c1'), false);
    assert.equal(trie.size, 1);
    assert.deepEqual(visits(trie, 'a/b'), ['a/b|c2|2']);
  });

  test('match on an empty trie visits nothing', () => {
    assert.deepEqual(visits(new SubscriptionTrie<number>(), 'a'), []);
  });
});

describe('SubscriptionTrie pruning', () => {
  const cases: ReadonlyArray<readonly [string, string[], string, number]> = [
    // [name, filters added, filter removed, nodes left]
    ['a lone deep filter leaves nothing', ['a/b/c/d'], 'a/b/c/d', 0],
    ['wildcard nodes are pruned', ['a/+/#'], 'a/+/#', 0],
    ['root wildcard nodes are pruned', ['#'], '#', 0],
    ['a parent that is itself a filter stays', ['a/b', 'a/b/c'], 'a/b/c', 2],
    ['a child keeps its parent path', ['a/b', 'a/b/c'], 'a/b', 3],
    ['a sibling branch stays', ['a/b/c', 'a/x'], 'a/b/c', 2],
    ['a wildcard sibling stays', ['a/+', 'a/b'], 'a/b', 2],
    ['empty levels are nodes too', ['//', '/'], '//', 2],
  ];
  for (const [name, filters, removed, left] of cases) {
    test(`${name}: remove '${removed}' from [${filters.join(', ')}] leaves ${left} nodes`, () => {
      const trie = new SubscriptionTrie<number>();
      for (const filter of filters) trie.add(filter, 'k', 1);
      assert.equal(trie.remove(removed, 'k'), true);
      assert.equal(trie.nodeCount, left);
      // The survivors still match after pruning.
      for (const filter of filters.filter((f) => f !== removed)) assert.equal(trie.get(filter, 'k'), 1);
    });
  }

  test('a filter keeps its nodes while any key remains', () => {
    const trie = new SubscriptionTrie<number>();
    trie.add('a/b', 'k1', 1);
    trie.add('a/b', 'k2', 2);
    trie.remove('a/b', 'k1');
    assert.equal(trie.nodeCount, 2);
    trie.remove('a/b', 'k2');
    assert.equal(trie.nodeCount, 0);
    trie.add('a/b', 'k3', 3); // re-adding after a prune rebuilds the path
    assert.deepEqual(visits(trie, 'a/b'), ['a/b|k3|3']);
  });
});

describe('SubscriptionTrie.match against the shared match table', () => {
  for (const [filter, topic, expected, note] of MATCH_CASES) {
    test(`${note}: '${filter}' ${expected ? 'matches' : 'does not match'} '${topic}'`, () => {
      const trie = new SubscriptionTrie<number>();
      trie.add(filter, 'k', 1);
      trie.add('unrelated/filter', 'k', 2); // a non-empty sibling so the walk is not trivially short
      assert.deepEqual(visits(trie, topic), expected ? [`${filter}|k|1`] : []);
    });
  }
});

/** mulberry32: a tiny seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILTER_LEVELS = ['a', 'b', '$c', '', '+', '#'] as const;
const TOPIC_LEVELS = ['a', 'b', '$c', ''] as const;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** 1–4 levels; generation stops at '#' so every filter is valid. The filter '' is invalid, so retry. */
function randomFilter(rand: () => number): string {
  for (;;) {
    const levels: string[] = [];
    const n = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) {
      const level = pick(rand, FILTER_LEVELS);
      levels.push(level);
      if (level === '#') break;
    }
    const filter = levels.join('/');
    if (filter !== '') return filter;
  }
}

function randomTopic(rand: () => number): string {
  for (;;) {
    const n = 1 + Math.floor(rand() * 4);
    const topic = Array.from({ length: n }, () => pick(rand, TOPIC_LEVELS)).join('/');
    if (topic !== '') return topic;
  }
}

describe('SubscriptionTrie property test against the topicMatches oracle [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.2-1]', () => {
  for (const seed of [1, 2, 3, 42, 2024]) {
    test(`seed ${seed}: random adds/removes, match equals the oracle, then everything prunes away`, () => {
      const rand = prng(seed);
      const trie = new SubscriptionTrie<number>();
      const model = new Map<string, Map<string, number>>();
      let checks = 0;
      let nonEmpty = 0;
      for (let op = 0; op < 1500; op++) {
        const filter = randomFilter(rand);
        const key = `k${Math.floor(rand() * 3)}`;
        if (rand() < 0.7) {
          const entries = model.get(filter) ?? new Map<string, number>();
          const isNew = !entries.has(key);
          entries.set(key, op);
          model.set(filter, entries);
          assert.equal(trie.add(filter, key, op), isNew, `add ${filter} ${key}`);
        } else {
          const entries = model.get(filter);
          const had = entries?.delete(key) ?? false;
          if (entries?.size === 0) model.delete(filter);
          assert.equal(trie.remove(filter, key), had, `remove ${filter} ${key}`);
        }
        let expectedSize = 0;
        for (const entries of model.values()) expectedSize += entries.size;
        assert.equal(trie.size, expectedSize);

        for (let t = 0; t < 3; t++) {
          const topic = randomTopic(rand);
          const expected: string[] = [];
          for (const [f, entries] of model) {
            if (!topicMatches(f, topic)) continue;
            for (const [k, v] of entries) expected.push(`${f}|${k}|${v}`);
          }
          // Sorted lists, not sets: a duplicate visit must fail the comparison.
          assert.deepEqual(visits(trie, topic).sort(), expected.sort(), `topic '${topic}'`);
          checks++;
          if (expected.length > 0) nonEmpty++;
        }
      }
      // Guard against a vacuous run where nothing ever matched.
      assert.equal(checks, 4500);
      assert.ok(nonEmpty > checks / 4, `only ${nonEmpty} of ${checks} checks had matches`);

      for (const [filter, entries] of model) for (const key of entries.keys()) assert.equal(trie.remove(filter, key), true);
      assert.equal(trie.size, 0);
      assert.equal(trie.nodeCount, 0);
    });
  }
});
