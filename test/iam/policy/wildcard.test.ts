/** @module test/iam/policy/wildcard — table-driven cases for IAM glob matching (`*`, `?`, literal `+`/`#`). */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LITERAL,
  ONE,
  STAR,
  globOf,
  hasWildcard,
  matchGlob,
  matchWildcard,
  matchWildcardIgnoreCase,
} from '../../../src/iam/policy/wildcard.js';

/** [pattern, value, expected, note] */
type Case = readonly [string, string, boolean, string];

const CASES: Case[] = [
  ['abc', 'abc', true, 'literal equal'],
  ['abc', 'abd', false, 'literal differs in last char'],
  ['abc', 'ab', false, 'value shorter'],
  ['ab', 'abc', false, 'value longer'],
  ['', '', true, 'empty matches empty'],
  ['', 'a', false, 'empty pattern matches only empty'],
  ['*', '', true, '* matches empty'],
  ['*', 'anything/at/all', true, '* matches everything'],
  ['topic/*', 'topic/a', true, 'trailing *'],
  ['topic/*', 'topic/a/b/c', true, '* crosses /'],
  ['topic/*', 'topic/', true, '* matches the empty rest'],
  ['topic/*', 'topic', false, 'the / before * is literal'],
  ['topic/*/temp', 'topic/a/b/temp', true, 'inner * crosses several levels'],
  ['topic/*/temp', 'topic/a/b/humidity', false, 'inner * with wrong suffix'],
  ['*/temp', 'x/y/temp', true, 'leading *'],
  ['a*b*c', 'aXXbYYc', true, 'two stars'],
  ['a*b*c', 'aXXbYY', false, 'two stars, missing final literal'],
  ['a*b', 'abab', true, 'backtracking to the last star'],
  ['a*ab', 'aaab', true, 'backtracking overlaps'],
  ['*a', 'bbbb', false, 'star cannot invent a character'],
  ['**', 'x', true, 'consecutive stars'],
  ['a**b', 'ab', true, 'consecutive stars match empty'],
  ['?', 'a', true, '? matches one character'],
  ['?', '', false, '? needs a character'],
  ['?', 'ab', false, '? matches only one'],
  ['a?c', 'a/c', true, '? matches /'],
  ['a??', 'abc', true, 'two ?'],
  ['a?*', 'a', false, '? then *: needs at least one'],
  ['*?', 'x', true, '* then ?'],
  ['client/dev-???', 'client/dev-001', true, '? run with fixed width'],
  ['client/dev-???', 'client/dev-0001', false, '? run too short'],
  ['topicfilter/a/#', 'topicfilter/a/#', true, '# is literal and matches itself'],
  ['topicfilter/a/#', 'topicfilter/a/b', false, '# is not an MQTT wildcard in policies'],
  ['topicfilter/a/+/c', 'topicfilter/a/+/c', true, '+ is literal and matches itself'],
  ['topicfilter/a/+/c', 'topicfilter/a/b/c', false, '+ is not an MQTT wildcard in policies'],
  ['topic/a+b', 'topic/a+b', true, '+ inside a level is plain'],
  ['topic/*', 'topic/a/#', true, 'a * still matches a literal # in the value'],
  ['Topic/A', 'topic/a', false, 'resources are case-sensitive'],
  ['topic/é*', 'topic/été', true, 'non-ASCII literal'],
  ['topic/?', 'topic/😀', true, '? matches a whole surrogate pair'],
  ['topic/??', 'topic/😀', false, 'a surrogate pair is one character'],
  ['*?x', '😀x', true, 'star then ? over a surrogate pair'],
  ['*😀', 'ab😀', true, 'star before an astral literal'],
  ['$aws/things/*/shadow/*', '$aws/things/t1/shadow/update', true, '$ is literal'],
];

describe('matchWildcard', () => {
  test('the table has at least 40 cases', () => assert.ok(CASES.length >= 40));
  for (const [pattern, value, expected, note] of CASES) {
    test(`${note}: '${pattern}' ${expected ? 'matches' : 'does not match'} '${value}'`, () => {
      assert.equal(matchWildcard(pattern, value), expected);
    });
  }

  test('pathological patterns finish quickly (no exponential backtracking)', () => {
    const value = 'a'.repeat(5000);
    const started = performance.now();
    assert.equal(matchWildcard('*a*a*a*a*a*a*a*a*b', value), false);
    assert.equal(matchWildcard('*a*a*a*a*a*a*a*a*a', value), true);
    assert.ok(performance.now() - started < 1000, 'took more than a second');
  });
});

const IGNORE_CASE: Case[] = [
  ['iot:Publish', 'iot:publish', true, 'lower-case request'],
  ['iot:publish', 'IOT:PUBLISH', true, 'upper-case request'],
  ['IoT:*', 'iot:Connect', true, 'service prefix case'],
  ['iot:*shadow', 'iot:GetThingShadow', true, 'wildcard plus folded literal'],
  ['iot:Get*', 'iot:UpdateThingShadow', false, 'still a real mismatch'],
  ['iot:Publis?', 'iot:PUBLISH', true, '? with folding'],
  ['iot:Publish', 'iot:Publishh', false, 'length still matters'],
];

describe('matchWildcardIgnoreCase (action names)', () => {
  for (const [pattern, value, expected, note] of IGNORE_CASE) {
    test(`${note}: '${pattern}' ${expected ? 'matches' : 'does not match'} '${value}'`, () => {
      assert.equal(matchWildcardIgnoreCase(pattern, value), expected);
    });
  }
  test('case-sensitive variant rejects what the folding one accepts', () => {
    assert.equal(matchWildcard('iot:Publish', 'iot:publish'), false);
  });
});

describe('matchGlob with literal wildcard characters', () => {
  const kinds = (...k: number[]) => Uint8Array.from(k);
  test('a literal * matches only *', () => {
    const glob = { text: 'a*', kinds: kinds(LITERAL, LITERAL) };
    assert.equal(matchGlob(glob, 'a*'), true);
    assert.equal(matchGlob(glob, 'ab'), false);
  });
  test('a literal ? matches only ?', () => {
    const glob = { text: 'a?', kinds: kinds(LITERAL, LITERAL) };
    assert.equal(matchGlob(glob, 'a?'), true);
    assert.equal(matchGlob(glob, 'ab'), false);
  });
  test('wildcard and literal * in one pattern', () => {
    const glob = { text: '**x', kinds: kinds(STAR, LITERAL, LITERAL) };
    assert.equal(matchGlob(glob, 'abc*x'), true);
    assert.equal(matchGlob(glob, 'abcx'), false);
  });
  test('a marked ONE matches any single character', () => {
    const glob = { text: 'a?', kinds: kinds(LITERAL, ONE) };
    assert.equal(matchGlob(glob, 'ab'), true);
    assert.equal(matchGlob(glob, 'abc'), false);
  });
  test('hasWildcard looks at kinds, not characters', () => {
    assert.equal(hasWildcard({ text: 'a*', kinds: kinds(LITERAL, LITERAL) }), false);
    assert.equal(hasWildcard({ text: 'a*', kinds: kinds(LITERAL, STAR) }), true);
    assert.equal(hasWildcard(globOf('a?')), true);
    assert.equal(hasWildcard(globOf('a/+/#')), false);
  });
});
