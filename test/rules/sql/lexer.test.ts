/**
 * @module test/rules/sql/lexer — tokens, positions, keywords, string escapes, numbers and lexical errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlSyntaxError, tokenize } from '../../../src/rules/sql/index.js';

const brief = (sql: string): string[] => tokenize(sql).map((t) => `${t.kind}:${t.value}`);

test('a statement lexes into kinds and values, keywords upper-cased', () => {
  assert.deepEqual(brief("select a.b AS x FROM 'a/+' where n >= 1.5"), [
    'keyword:SELECT', 'identifier:a', 'punct:.', 'identifier:b', 'keyword:AS', 'identifier:x', 'keyword:FROM', 'string:a/+',
    'keyword:WHERE', 'identifier:n', 'punct:>=', 'number:1.5', 'eof:',
  ]);
});

test('tokens carry 1-based line and column', () => {
  const tokens = tokenize("SELECT a,\n  b\r\n\tFROM 'x'");
  assert.deepEqual(tokens.map((t) => [t.text, t.line, t.column]), [
    ['SELECT', 1, 1], ['a', 1, 8], [',', 1, 9], ['b', 2, 3], ['FROM', 3, 2], ["'x'", 3, 7], ['', 3, 10],
  ]);
});

test('every operator and punctuation mark', () => {
  assert.deepEqual(brief('+ - * / % = <> != < <= > >= ( ) [ ] { } , . :').slice(0, -1).map((t) => t.slice(6)), [
    '+', '-', '*', '/', '%', '=', '<>', '<>', '<', '<=', '>', '>=', '(', ')', '[', ']', '{', '}', ',', '.', ':',
  ]);
});

test('keywords are case-insensitive; other words are identifiers', () => {
  assert.deepEqual(brief('Case wHeN then ELSE end Value true FALSE null and Or NOT as selected fromage'), [
    'keyword:CASE', 'keyword:WHEN', 'keyword:THEN', 'keyword:ELSE', 'keyword:END', 'keyword:VALUE', 'keyword:TRUE',
    'keyword:FALSE', 'keyword:NULL', 'keyword:AND', 'keyword:OR', 'keyword:NOT', 'keyword:AS', 'identifier:selected',
    'identifier:fromage', 'eof:',
  ]);
});

const strings: readonly (readonly [string, string])[] = [
  ["'plain'", 'plain'],
  ['"double"', 'double'],
  ["'it''s'", "it's"],
  ['"say ""hi"""', 'say "hi"'],
  ["'a\\'b'", "a'b"],
  ['"a\\"b"', 'a"b'],
  ["'tab\\tnew\\nline'", 'tab\tnew\nline'],
  ["'\\u0041\\u00e9'", 'Aé'],
  ["'back\\\\slash'", 'back\\slash'],
  ["'\\/'", '/'],
  ["'\\d+'", '\\d+'],
  ["'\\u12'", '\\u12'],
  ["'€ and \"quotes\"'", '€ and "quotes"'],
  ["''", ''],
];

for (const [source, value] of strings) {
  test(`string literal ${source}`, () => {
    const [token] = tokenize(source);
    assert.equal(token?.kind, 'string');
    assert.equal(token?.value, value);
  });
}

const numbers: readonly (readonly [string, string[]])[] = [
  ['1', ['number:1']],
  ['1.5', ['number:1.5']],
  ['1e5', ['number:1e5']],
  ['1.5E-3', ['number:1.5E-3']],
  ['2e+2', ['number:2e+2']],
  ['10.', ['number:10', 'punct:.']],
  ['a[0]', ['identifier:a', 'punct:[', 'number:0', 'punct:]']],
  ['-5', ['punct:-', 'number:5']],
];

for (const [source, expected] of numbers) {
  test(`number ${source}`, () => assert.deepEqual(brief(source).slice(0, -1), expected));
}

const errors: readonly (readonly [string, string])[] = [
  ["SELECT 'open", 'Unterminated string literal at line 1, column 8'],
  ['SELECT a | b', "Unexpected character '|' at line 1, column 10"],
  ['SELECT a || b', "Unexpected character '|' at line 1, column 10"],
  ['SELECT\n  #', "Unexpected character '#' at line 2, column 3"],
  ['SELECT 1abc', "Invalid number '1a' at line 1, column 8"],
  ['SELECT `a`', "Unexpected character '`' at line 1, column 8"],
];

for (const [source, message] of errors) {
  test(`lexical error: ${JSON.stringify(source)}`, () => {
    assert.throws(() => tokenize(source), (error: unknown) => error instanceof SqlSyntaxError && error.message === message);
  });
}
