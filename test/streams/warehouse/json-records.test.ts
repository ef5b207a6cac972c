/**
 * @module test/streams/warehouse/json-records.test — records to JSON object texts: one or many objects per
 * record (lines or concatenated), strings holding braces and escaped quotes, and records that are not
 * objects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitJsonRecords } from '../../../src/streams/warehouse/json-records.js';

const split = (...records: Array<string | Buffer>) => splitJsonRecords(records.map((record) => (typeof record === 'string' ? Buffer.from(record) : record)));

test('splitJsonRecords: one object per record, with or without a newline', () => {
  assert.deepEqual(split('{"a":1}\n', '{"b":2}', ' \t{"c":3} \r\n'), { docs: ['{"a":1}', '{"b":2}', '{"c":3}'], recordOf: [0, 1, 2], invalid: new Map(), keys: new Set(['a', 'b', 'c']) });
});

test('splitJsonRecords: newline-delimited and concatenated objects in one record', () => {
  const out = split('{"a":1}\n{"a":2}\n', '{"a":3}{"a":[4,{"b":5}]}');
  assert.deepEqual(out.docs, ['{"a":1}', '{"a":2}', '{"a":3}', '{"a":[4,{"b":5}]}']);
  assert.deepEqual(out.recordOf, [0, 0, 1, 1]);
});

test('splitJsonRecords: braces and quotes inside strings do not end an object', () => {
  const tricky = String.raw`{"s":"} { ] [","q":"say \"hi\" }","bs":"ends with \\","u":"ä😀"}`;
  assert.deepEqual(split(tricky).docs, [tricky]);
});

test('splitJsonRecords: top-level keys in order of first appearance, unescaped; none from nested objects or invalid records', () => {
  const out = split('{"b":1,"a":{"inner":2},"list":[{"deep":3}],"s":"x:y"}', String.raw`{ "c" : 1 , "a\u00e9\"q" : 2 }`, '{"only":"in a bad record"} junk', '{"b":4,"z":5}');
  assert.deepEqual([...out.keys], ['b', 'a', 'list', 's', 'c', 'aé"q', 'z']);
});

test('splitJsonRecords: records that are not objects are invalid as a whole, with the reason', () => {
  const out = split('[1,2]', '{"a":1} trailing', '{"a":"open', '"text"', Buffer.from([0x7b, 0xff, 0x7d]), '{"ok":true}');
  assert.deepEqual([...out.invalid], [
    [0, 'expected a JSON object at byte 0 of the record, found "["'],
    [1, 'expected a JSON object at byte 8 of the record, found "t"'],
    [2, 'the JSON object starting at byte 0 of the record is not closed'],
    [3, 'expected a JSON object at byte 0 of the record, found "\\""'],
    [4, 'the record is not valid UTF-8'],
  ]);
  assert.deepEqual(out.docs, ['{"ok":true}'], 'no object of an invalid record is kept');
  assert.deepEqual(out.recordOf, [5]);
});

test('splitJsonRecords: whitespace-only and empty records hold nothing and are not errors', () => {
  assert.deepEqual(split('', '\n', '  \r\n'), { docs: [], recordOf: [], invalid: new Map(), keys: new Set() });
});
