/**
 * @module test/streams/delivery/partitioning.test — dynamic partitioning of one batch, table-driven:
 * records grouped by the values of the keys the prefix uses (from the query, from the function, or
 * both), in arrival order, and the records that go to the error output instead — not JSON, a failing
 * query, a missing key, too many function keys, a prefix the bucket folder cannot hold, and partitions
 * beyond the active-partition limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExtractionQuery } from '../../../src/streams/delivery/jq/index.js';
import { partitionRecords, type PartitionableRecord, type PartitionOptions } from '../../../src/streams/delivery/partitioning.js';
import { parsePrefix } from '../../../src/streams/delivery/prefix.js';
import { checkObjectKey } from '../../../src/streams/sinks/folder.js';

const T = Date.UTC(2024, 4, 6, 7, 8, 9);
const json = (value: unknown, lambdaKeys?: Record<string, string>): PartitionableRecord => ({ data: Buffer.from(`${JSON.stringify(value)}\n`), arrivalMs: T, lambdaKeys });
const raw = (text: string): PartitionableRecord => ({ data: Buffer.from(text), arrivalMs: T });
const options = (prefix: string, query?: string): PartitionOptions => ({ prefix: parsePrefix(prefix), query: query === undefined ? undefined : compileExtractionQuery(query), checkPrefix: (p) => checkObjectKey(`${p}object`) });

/** Partitions as `keys → record texts`, failures as `code: text`. */
function outcome(records: PartitionableRecord[], opts: PartitionOptions): { partitions: string[]; failed: string[] } {
  const { partitions, failed } = partitionRecords(records, opts);
  return {
    partitions: partitions.map((p) => `${JSON.stringify(p.keys)} → ${p.records.map((r) => r.data.toString().trim()).join(' ')}`),
    failed: failed.map((f) => `${f.errorOutputType} ${f.errorCode}: ${f.data.toString().trim()}`),
  };
}

describe('dynamic partitioning: grouping', () => {
  it('by the query\'s keys that the prefix uses; keys the prefix does not use do not split objects', () => {
    const records = [json({ c: 'a', d: 'x', n: 1 }), json({ c: 'b', d: 'x', n: 2 }), json({ c: 'a', d: 'y', n: 3 })];
    assert.deepEqual(outcome(records, options('customer=!{partitionKeyFromQuery:c}/', '{c:.c, d:.d}')), {
      partitions: ['{"query":{"c":"a"},"lambda":{}} → {"c":"a","d":"x","n":1} {"c":"a","d":"y","n":3}', '{"query":{"c":"b"},"lambda":{}} → {"c":"b","d":"x","n":2}'],
      failed: [],
    });
  });

  it('by the function\'s keys, and by both kinds at once (same name, two namespaces)', () => {
    const records = [json({ n: 1 }, { k: 'L1' }), json({ n: 2 }, { k: 'L2' }), json({ n: 3, k: 'Q' }, { k: 'L1' })];
    assert.deepEqual(outcome(records, options('l=!{partitionKeyFromLambda:k}/')).partitions, ['{"query":{},"lambda":{"k":"L1"}} → {"n":1} {"n":3,"k":"Q"}', '{"query":{},"lambda":{"k":"L2"}} → {"n":2}']);
    const both = outcome([json({ k: 'Q1' }, { k: 'L1' }), json({ k: 'Q1' }, { k: 'L2' })], options('q=!{partitionKeyFromQuery:k}/l=!{partitionKeyFromLambda:k}/', '{k:.k}'));
    assert.deepEqual(both.partitions, ['{"query":{"k":"Q1"},"lambda":{"k":"L1"}} → {"k":"Q1"}', '{"query":{"k":"Q1"},"lambda":{"k":"L2"}} → {"k":"Q1"}']);
  });
});

describe('dynamic partitioning: records that go to the error output', () => {
  const cases: Array<[string, PartitionableRecord[], PartitionOptions, string[]]> = [
    ['not JSON (with a query)', [raw('not json'), json({ c: 'ok' })], options('c=!{partitionKeyFromQuery:c}/', '{c:.c}'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: not json']],
    ['the query fails on it', [json({ c: 5, t: 'x' })], options('c=!{partitionKeyFromQuery:c}/', '{c:.c.d}'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"c":5,"t":"x"}']],
    ['a key the query makes is null', [json({ other: 1 })], options('c=!{partitionKeyFromQuery:c}/', '{c:.c}'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"other":1}']],
    ['the function gave no key the prefix uses', [json({ n: 1 }), json({ n: 2 }, { other: 'x' })], options('l=!{partitionKeyFromLambda:k}/'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"n":1}', 'partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"n":2}']],
    ['more than 50 keys from the function', [json({ n: 1 }, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])))], options('l=!{partitionKeyFromLambda:k0}/'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"n":1}']],
    ['a key that would leave the bucket folder or make an empty segment', [json({ c: '..' }), json({ c: '' }), json({ c: 'a/b' })], options('!{partitionKeyFromQuery:c}/', '{c:.c}'), ['partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"c":".."}', 'partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"c":""}']],
    ['a prefix over 512 characters', [json({ c: 'x'.repeat(600) })], options('c=!{partitionKeyFromQuery:c}/', '{c:.c}'), [`partitioning-failed DynamicPartitioning.MetadataExtractionFailed: {"c":"${'x'.repeat(600)}"}`]],
  ];
  for (const [what, records, opts, failed] of cases) it(what, () => assert.deepEqual(outcome(records, opts).failed, failed));

  it('the error record says why, and keeps the record\'s arrival time', () => {
    const { failed } = partitionRecords([json({ other: 1 })], options('l=!{partitionKeyFromLambda:k}/'));
    assert.match(failed[0]?.errorMessage ?? '', /no partition key 'k' \(partitionKeyFromLambda\)/);
    assert.deepEqual([failed[0]?.arrivalMs, failed[0]?.attemptsMade], [T, 1]);
  });

  it('partitions beyond the active-partition limit go to activePartitionExceeded', () => {
    const records = ['a', 'b', 'a', 'c', 'b', 'd'].map((c) => json({ c }));
    const result = outcome(records, { ...options('c=!{partitionKeyFromQuery:c}/', '{c:.c}'), maxActivePartitions: 2 });
    assert.equal(result.partitions.length, 2);
    assert.deepEqual(result.failed, ['activePartitionExceeded DynamicPartitioning.ActivePartitionsLimitExceeded: {"c":"c"}', 'activePartitionExceeded DynamicPartitioning.ActivePartitionsLimitExceeded: {"c":"d"}']);
  });
});
