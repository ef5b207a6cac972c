/** @module test/mqtt/router/topic — table-driven cases for topic matching, validation and `$share/` parsing. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseSharedFilter,
  topicMatches,
  validateTopicFilter,
  validateTopicName,
  type TopicLimits,
} from '../../../src/mqtt/router/topic.js';
import { MATCH_CASES } from './match-cases.js';

describe('topicMatches', () => {
  test('the table has at least 40 cases', () => assert.ok(MATCH_CASES.length >= 40));
  for (const [filter, topic, expected, note] of MATCH_CASES) {
    test(`${note}: '${filter}' ${expected ? 'matches' : 'does not match'} '${topic}'`, () => {
      assert.equal(topicMatches(filter, topic), expected);
    });
  }
});

const AWS: TopicLimits = { maxLength: 256, maxLevels: 8 };
const NONE: TopicLimits = { maxLength: 0, maxLevels: 0 };

/** [name, input, limits, expected reason pattern or null for valid] */
type ValidationCase = readonly [string, string, TopicLimits, RegExp | null];

const NAME_CASES: ValidationCase[] = [
  ['plain topic', 'a/b', AWS, null],
  ['$SYS topic may be published to by validation', '$SYS/x', AWS, null],
  ['single slash is two empty levels', '/', AWS, null],
  ['empty middle level', 'a//b', AWS, null],
  ['empty topic [MQTT-4.7.3-1]', '', AWS, /must not be empty \[MQTT-4\.7\.3-1\]/],
  ['U+0000 [MQTT-4.7.3-2]', 'a\u0000b', AWS, /must not contain U\+0000 \[MQTT-4\.7\.3-2\]/],
  ['unpaired surrogate [MQTT-1.5.4-1]', 'a\uD800b', AWS, /unpaired surrogate \[MQTT-1\.5\.4-1\]/],
  ["'+' level [MQTT-3.3.2-2]", 'a/+', AWS, /^topic name must not contain wildcards \[MQTT-3\.3\.2-2\]$/],
  ["'#' level [MQTT-3.3.2-2]", 'a/#', AWS, /must not contain wildcards \[MQTT-3\.3\.2-2\]/],
  ["'+' inside a level [MQTT-3.3.2-2]", 'a+b', AWS, /must not contain wildcards/],
  ['256 ASCII bytes is the limit', 'a'.repeat(256), AWS, null],
  ['257 ASCII bytes', 'a'.repeat(257), AWS, /^topic is 257 bytes; at most 256$/],
  ['128 × é = 256 UTF-8 bytes', 'é'.repeat(128), AWS, null],
  ['129 × é = 258 UTF-8 bytes though 129 UTF-16 units', 'é'.repeat(129), AWS, /^topic is 258 bytes; at most 256$/],
  ['85 × € = 255 UTF-8 bytes', '€'.repeat(85), AWS, null],
  ['86 × € = 258 UTF-8 bytes', '€'.repeat(86), AWS, /^topic is 258 bytes; at most 256$/],
  ['64 × 😀 = 256 UTF-8 bytes (128 UTF-16 units)', '😀'.repeat(64), AWS, null],
  ['65 × 😀 = 260 UTF-8 bytes', '😀'.repeat(65), AWS, /^topic is 260 bytes; at most 256$/],
  ['8 levels is the limit', 'a/b/c/d/e/f/g/h', AWS, null],
  ['9 levels', 'a/b/c/d/e/f/g/h/i', AWS, /^topic has 9 levels; at most 8 allowed$/],
  ['9 empty levels', '////////', AWS, /^topic has 9 levels; at most 8 allowed$/],
  ['no length limit when maxLength is 0', 'a'.repeat(1000), NONE, null],
  ['no level limit when maxLevels is 0', 'a/'.repeat(50) + 'a', NONE, null],
  ['65535-byte wire cap even without a limit [MQTT-4.7.3-3]', 'a'.repeat(65536), NONE, /^topic is 65536 bytes; at most 65535$/],
  ['configured limit above the wire cap is capped [MQTT-4.7.3-3]', 'a'.repeat(65536), { maxLength: 100_000, maxLevels: 0 }, /at most 65535$/],
];

const FILTER_CASES: ValidationCase[] = [
  ['plain filter', 'a/b', AWS, null],
  ["'#' alone", '#', AWS, null],
  ["'+' alone", '+', AWS, null],
  ["'+/+'", '+/+', AWS, null],
  ["'/#'", '/#', AWS, null],
  ["'a/+/c/#'", 'a/+/c/#', AWS, null],
  ["'$SYS/#'", '$SYS/#', AWS, null],
  ['empty filter [MQTT-4.7.3-1]', '', AWS, /^topic filter must not be empty \[MQTT-4\.7\.3-1\]$/],
  ['U+0000 [MQTT-4.7.3-2]', 'a/\u0000', AWS, /must not contain U\+0000 \[MQTT-4\.7\.3-2\]/],
  ["'#' not last [MQTT-4.7.1-2]", 'a/#/b', AWS, /^'#' must be the last level \[MQTT-4\.7\.1-2\]$/],
  ["'#' followed by an empty level [MQTT-4.7.1-2]", 'a/#/', AWS, /^'#' must be the last level \[MQTT-4\.7\.1-2\]$/],
  ["'#' sharing a level [MQTT-4.7.1-2]", 'a#', AWS, /^'#' must occupy a whole level \[MQTT-4\.7\.1-2\]$/],
  ["'#' after text in last level [MQTT-4.7.1-2]", 'a/b#', AWS, /'#' must occupy a whole level/],
  ["'#' before text [MQTT-4.7.1-2]", 'a/#b', AWS, /'#' must occupy a whole level/],
  ["'+' after text [MQTT-4.7.1-3]", 'a+', AWS, /^'\+' must occupy a whole level \[MQTT-4\.7\.1-3\]$/],
  ["'+' before text [MQTT-4.7.1-3]", '+a/b', AWS, /'\+' must occupy a whole level \[MQTT-4\.7\.1-3\]/],
  ["'+' inside a middle level [MQTT-4.7.1-3]", 'a/b+c/d', AWS, /'\+' must occupy a whole level/],
  ["'++' [MQTT-4.7.1-3]", '++', AWS, /'\+' must occupy a whole level/],
  ['9 levels', 'a/+/c/d/e/f/g/h/#', AWS, /^topic filter has 9 levels; at most 8 allowed$/],
  ['129 × é = 258 UTF-8 bytes', 'é'.repeat(129), AWS, /^topic filter is 258 bytes; at most 256$/],
  ['128 × é = 256 UTF-8 bytes', 'é'.repeat(128), AWS, null],
  ["'$share' alone is an ordinary filter", '$share', AWS, null],
  ["'$sharex/a' is an ordinary filter", '$sharex/a', AWS, null],
  ['shared filter', '$share/g/a/+', AWS, null],
  ['shared filter with #', '$share/workers/#', AWS, null],
  ['empty share name [MQTT-4.8.2-1]', '$share//a', AWS, /^share name must not be empty \[MQTT-4\.8\.2-1\]$/],
  ['empty share name and no filter [MQTT-4.8.2-1]', '$share/', AWS, /share name must not be empty/],
  ['share name without filter [MQTT-4.8.2-2]', '$share/g', AWS, /has no topic filter after the share name \[MQTT-4\.8\.2-2\]$/],
  ['share name with empty filter [MQTT-4.8.2-2]', '$share/g/', AWS, /has no topic filter after the share name/],
  ["'+' in share name [MQTT-4.8.2-2]", '$share/g+/a', AWS, /^share name 'g\+' must not contain '\+' or '#' \[MQTT-4\.8\.2-2\]$/],
  ["'#' in share name [MQTT-4.8.2-2]", '$share/#/a', AWS, /must not contain '\+' or '#' \[MQTT-4\.8\.2-2\]/],
  ['128-character share name', `$share/${'x'.repeat(128)}/a`, AWS, null],
  ['129-character share name', `$share/${'x'.repeat(129)}/a`, AWS, /^share name is 129 characters; at most 128$/],
  ['share name counted in characters, not UTF-16 units', `$share/${'😀'.repeat(128)}/a`, AWS, null],
  ["invalid inner filter [MQTT-4.7.1-2]", '$share/g/a/#/b', AWS, /'#' must be the last level \[MQTT-4\.7\.1-2\]/],
  ["invalid inner '+' [MQTT-4.7.1-3]", '$share/g/a+', AWS, /'\+' must occupy a whole level/],
  ['level limit excludes the $share/<group>/ prefix', '$share/group/a/b/c/d/e/f/g/h', AWS, null],
  ['level limit applies to the inner filter', '$share/group/a/b/c/d/e/f/g/h/i', AWS, /^topic filter has 9 levels; at most 8 allowed$/],
  ['length limit excludes the prefix', `$share/group/${'a'.repeat(256)}`, AWS, null],
  ['length limit applies to the inner filter in bytes', `$share/group/${'é'.repeat(129)}`, AWS, /^topic filter is 258 bytes; at most 256$/],
  ['whole shared filter within 65535 bytes [MQTT-4.7.3-3]', `$share/g/${'a'.repeat(65530)}`, NONE, /^topic filter is 65539 bytes; at most 65535$/],
];

function runValidation(
  title: string,
  validate: (text: string, limits: TopicLimits) => { ok: boolean; reason?: string },
  cases: ValidationCase[],
): void {
  describe(title, () => {
    for (const [name, input, limits, reason] of cases) {
      test(`${name} → ${reason === null ? 'valid' : 'invalid'}`, () => {
        const result = validate(input, limits);
        if (reason === null) {
          assert.deepEqual(result, { ok: true });
        } else {
          assert.equal(result.ok, false);
          assert.match(result.reason ?? '', reason);
        }
      });
    }
  });
}

runValidation('validateTopicName', validateTopicName, NAME_CASES);
runValidation('validateTopicFilter', validateTopicFilter, FILTER_CASES);

describe('validateTopicFilter accepts every filter in the match table', () => {
  for (const filter of new Set(MATCH_CASES.map(([f]) => f))) {
    test(`'${filter}' is valid`, () => assert.deepEqual(validateTopicFilter(filter, AWS), { ok: true }));
  }
});

describe('parseSharedFilter', () => {
  const cases: ReadonlyArray<readonly [string, { group: string; filter: string } | undefined]> = [
    ['a/b', undefined],
    ['$share', undefined],
    ['$SHARE/g/a', undefined],
    ['$sharex/g/a', undefined],
    ['$share/g/a/b', { group: 'g', filter: 'a/b' }],
    ['$share/g/#', { group: 'g', filter: '#' }],
    ['$share/g//a', { group: 'g', filter: '/a' }],
    ['$share/g', { group: 'g', filter: '' }],
    ['$share//a', { group: '', filter: 'a' }],
  ];
  for (const [input, expected] of cases) {
    test(`'${input}' → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseSharedFilter(input), expected));
  }
});
