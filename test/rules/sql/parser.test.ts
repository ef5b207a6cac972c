/**
 * @module test/rules/sql/parser — the typed AST, the topic filter, version gates and syntax errors with
 * exact messages, lines and columns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSql, SqlSyntaxError, type Expr } from '../../../src/rules/sql/index.js';
import { V1, V2 } from './helpers.js';

/** The AST without positions, for compact comparisons. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object' || value.constructor !== Object) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'pos').map(([key, v]) => [key, strip(v)]));
}

const exprOf = (sql: string): unknown => {
  const [item] = parseSql(`SELECT ${sql} FROM 't'`, V2).query.items;
  return item?.kind === 'expr' ? strip(item.expr) : item;
};

const field = (name: string): Expr => ({ kind: 'field', name }) as unknown as Expr;
const lit = (value: unknown): unknown => ({ kind: 'literal', value });

test('a statement parses into query, topic filter, version and externals', () => {
  const statement = parseSql("SELECT VALUE a FROM 'sensors/+/humidity' WHERE a > 1", V2);
  assert.deepStrictEqual(strip(statement), {
    sql: "SELECT VALUE a FROM 'sensors/+/humidity' WHERE a > 1",
    version: V2,
    topicFilter: 'sensors/+/humidity',
    query: {
      value: true,
      items: [{ kind: 'expr', expr: field('a'), alias: undefined, outputPath: ['a'] }],
      from: undefined,
      where: { kind: 'binary', op: '>', left: field('a'), right: lit(1) },
    },
    externals: [],
  });
});

test('select items: *, expressions, dotted aliases, default names', () => {
  const { items } = parseSql("SELECT *, a.b, c AS x.y, upper(d), 1 + 2 FROM 't'", V2).query;
  assert.deepStrictEqual(items.map((item) => (item.kind === 'all' ? '*' : [item.alias, item.outputPath])), [
    '*', [undefined, ['b']], [['x', 'y'], ['x', 'y']], [undefined, ['upper']], [undefined, ['_5']],
  ]);
});

const shapes: readonly (readonly [string, unknown])[] = [
  ['a + b * c', { kind: 'binary', op: '+', left: field('a'), right: { kind: 'binary', op: '*', left: field('b'), right: field('c') } }],
  ['a - b - c', { kind: 'binary', op: '-', left: { kind: 'binary', op: '-', left: field('a'), right: field('b') }, right: field('c') }],
  ['NOT a = b OR c', { kind: 'binary', op: 'OR', left: { kind: 'unary', op: 'NOT', operand: { kind: 'binary', op: '=', left: field('a'), right: field('b') } }, right: field('c') }],
  ['a AND b OR c AND d', { kind: 'binary', op: 'OR', left: { kind: 'binary', op: 'AND', left: field('a'), right: field('b') }, right: { kind: 'binary', op: 'AND', left: field('c'), right: field('d') } }],
  ['-a.b[0]', { kind: 'unary', op: '-', operand: { kind: 'index', object: { kind: 'member', object: field('a'), name: 'b' }, index: lit(0) } }],
  ['-5', lit(-5)],
  ['a != b', { kind: 'binary', op: '<>', left: field('a'), right: field('b') }],
  ['Upper(x)', { kind: 'call', name: 'upper', args: [field('x')] }],
  ['cast(x AS nvarchar)', { kind: 'cast', value: field('x'), type: 'String' }],
  ['cast(x AS Integer)', { kind: 'cast', value: field('x'), type: 'Int' }],
  ['cast(x AS Bool)', { kind: 'cast', value: field('x'), type: 'Boolean' }],
  ["CASE a WHEN 1 THEN 'x' END", { kind: 'case', subject: field('a'), whens: [{ when: lit(1), then: lit('x') }], otherwise: undefined }],
  ["{'k': [1, *]}", { kind: 'object', entries: [{ key: 'k', value: { kind: 'array', items: [lit(1), { kind: 'star' }] } }] }],
  ['(SELECT VALUE v FROM e WHERE n = 1)', {
    kind: 'subquery',
    query: {
      value: true, items: [{ kind: 'expr', expr: field('v'), alias: undefined, outputPath: ['v'] }], from: field('e'),
      where: { kind: 'binary', op: '=', left: field('n'), right: lit(1) },
    },
  }],
  ['get(x, 0).v', { kind: 'member', object: { kind: 'call', name: 'get', args: [field('x'), lit(0)] }, name: 'v' }],
  ['a.value', { kind: 'member', object: field('a'), name: 'value' }],
];

for (const [source, expected] of shapes) {
  test(`AST of ${source}`, () => assert.deepStrictEqual(exprOf(source), expected));
}

test('topic filters: wildcards, $aws topics, and no FROM for Basic Ingest', () => {
  for (const filter of ['a/b', 'sensors/+/humidity', '#', 'a/#', '+/+', '$aws/things/+/shadow/update/accepted', '$aws/events/presence/connected/+']) {
    assert.equal(parseSql(`SELECT * FROM '${filter}'`).topicFilter, filter);
  }
  assert.equal(parseSql('SELECT * WHERE a = 1').topicFilter, undefined);
});

test('external functions are listed once, lower-cased', () => {
  const statement = parseSql("SELECT aws_lambda('arn', *) AS a, AWS_LAMBDA('arn', 1) AS b, get_secret('s', 'SecretString', 'r') AS c FROM 't'", V2);
  assert.deepStrictEqual(statement.externals, ['aws_lambda', 'get_secret']);
});

test('an unsupported SQL version is refused', () => {
  assert.throws(() => parseSql('SELECT 1', 'beta' as never), RangeError);
});

const versionGates: readonly (readonly [string, string])[] = [
  ["SELECT {'a': 1} FROM 't'", 'An object literal requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT [1] FROM 't'", 'An array literal requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT (SELECT v FROM e) FROM 't'", 'A nested SELECT requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT encode(*, 'base64') FROM 't'", 'Function encode() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT a FROM 't' WHERE decode(a, 'base64') = 1", 'Function decode() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 25'],
  ["SELECT indexof(a, 'b') FROM 't'", 'Function indexof() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT parse_time('yyyy', 0) FROM 't'", 'Function parse_time() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT time_to_epoch('2020', 'yyyy') FROM 't'", 'Function time_to_epoch() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT get_thing_shadow('t', 'r') FROM 't'", 'Function get_thing_shadow() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT isUndefined(a) FROM 't'", 'Function isundefined() requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 8'],
  ["SELECT cast(a AS Decimal) FROM 't'", 'Casting to Decimal requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 18'],
  ["SELECT cast(a AS Boolean) FROM 't'", 'Casting to Boolean requires SQL version 2016-03-23 (this statement uses 2015-10-08) at line 1, column 18'],
];

for (const [sql, message] of versionGates) {
  test(`2015-10-08 refuses: ${sql}`, () => {
    assert.throws(() => parseSql(sql, V1), (error: unknown) => {
      assert.ok(error instanceof SqlSyntaxError);
      assert.equal(error.message, message);
      assert.equal(error.reason, 'version');
      return true;
    });
    assert.doesNotThrow(() => parseSql(sql, V2));
  });
}

const syntaxErrors: readonly (readonly [string, string])[] = [
  ['', 'Expected SELECT but found end of input at line 1, column 1'],
  ["FROM 't'", "Expected SELECT but found 'FROM' at line 1, column 1"],
  ['SELECT', 'Expected an expression but found end of input at line 1, column 7'],
  ['SELECT a FROM', 'Expected a topic filter in single quotes but found end of input at line 1, column 14'],
  ['SELECT a FROM "t/x"', 'Expected a topic filter in single quotes but found \'"t/x"\' at line 1, column 15'],
  ['SELECT a FROM t/x', "Expected a topic filter in single quotes but found 't' at line 1, column 15"],
  ["SELECT a b FROM 't'", "Expected ',', FROM, WHERE or end of input but found 'b' at line 1, column 10"],
  ["SELECT a FROM 't' WHERE", 'Expected an expression but found end of input at line 1, column 24'],
  ["SELECT a FROM 't' WHERE x = 1 y", "Expected end of input but found 'y' at line 1, column 31"],
  ["SELECT a FROM 't' LIMIT 1", "Expected WHERE or end of input but found 'LIMIT' at line 1, column 19"],
  ["SELECT (a + 1 FROM 't'", "Expected ')' but found 'FROM' at line 1, column 15"],
  ["SELECT upper(a FROM 't'", "Expected ',' or ')' but found 'FROM' at line 1, column 16"],
  ["SELECT CASE a WHEN 1 THEN 2 FROM 't'", "Expected WHEN, ELSE or END but found 'FROM' at line 1, column 29"],
  ["SELECT CASE a WHEN 1 THEN 2 ELSE 3 FROM 't'", "Expected END but found 'FROM' at line 1, column 36"],
  ["SELECT CASE a ELSE 1 END FROM 't'", "Expected WHEN but found 'ELSE' at line 1, column 15"],
  ["SELECT CASE a WHEN 1 2 END FROM 't'", "Expected THEN but found '2' at line 1, column 22"],
  ["SELECT cast(a AS Float) FROM 't'", "Expected a cast type (String, Int, Double, Decimal, Boolean, …) but found 'Float' at line 1, column 18"],
  ["SELECT cast(a, 'Int') FROM 't'", "Expected AS but found ',' at line 1, column 14"],
  ["SELECT a,\n  b\n  FROM 't'\n WHERE a >", 'Expected an expression but found end of input at line 4, column 11'],
  ["SELECT a AS FROM 't'", "Expected an alias but found 'FROM' at line 1, column 13"],
  ["SELECT a AS x. FROM 't'", "Expected an alias segment but found 'FROM' at line 1, column 16"],
  ["SELECT {'a' 1} FROM 't'", "Expected ':' but found '1' at line 1, column 13"],
  ["SELECT {a: 1} FROM 't'", "Expected a quoted key but found 'a' at line 1, column 9"],
  ["SELECT {'a': 1 FROM 't'", "Expected ',' or '}' but found 'FROM' at line 1, column 16"],
  ["SELECT [1, 2 FROM 't'", "Expected ',' or ']' but found 'FROM' at line 1, column 14"],
  ["SELECT a.1 FROM 't'", "Expected an attribute name but found '1' at line 1, column 10"],
  ["SELECT a[0 FROM 't'", "Expected ']' but found 'FROM' at line 1, column 12"],
  ["SELECT VALUE a, b FROM 't'", 'SELECT VALUE takes exactly one expression at line 1, column 19'],
  ["SELECT (SELECT v FROM e FROM 't'", "Expected ')' but found 'FROM' at line 1, column 25"],
  ["SELECT (SELECT v) AS x FROM 't'", "Expected ',' or FROM but found ')' at line 1, column 17"],
  ["SELECT 1 FROM 't' WHERE a = 1 AND", 'Expected an expression but found end of input at line 1, column 34'],
  ["SELECT nosuch(1) FROM 't'", "Unknown function 'nosuch' at line 1, column 8"],
  ["SELECT a FROM 't' WHERE a = 'unterminated", 'Unterminated string literal at line 1, column 29'],
  ["SELECT * FROM 'a/#/b'", "Invalid topic filter 'a/#/b' at line 1, column 15"],
  ["SELECT * FROM 'a/b+'", "Invalid topic filter 'a/b+' at line 1, column 15"],
  ["SELECT * FROM ''", "Invalid topic filter '' at line 1, column 15"],
  ['SELECT * *', "Expected an expression but found end of input at line 1, column 11"],
  ["SELECT WHERE FROM 't'", "Expected an expression but found 'WHERE' at line 1, column 8"],
];

for (const [sql, message] of syntaxErrors) {
  test(`syntax error: ${JSON.stringify(sql)}`, () => {
    assert.throws(() => parseSql(sql, V2), (error: unknown) => {
      assert.ok(error instanceof SqlSyntaxError, String(error));
      assert.equal(error.message, message);
      return true;
    });
  });
}

test('a syntax error carries line, column, expected and found', () => {
  assert.throws(() => parseSql("SELECT a\nFROM 't'\nWHERE (a", V2), (error: unknown) => {
    assert.ok(error instanceof SqlSyntaxError);
    assert.equal(error.name, 'SqlSyntaxError');
    assert.deepStrictEqual(
      { line: error.line, column: error.column, expected: error.expected, found: error.found, reason: error.reason },
      { line: 3, column: 9, expected: "')'", found: 'end of input', reason: 'syntax' },
    );
    return true;
  });
});

test('unknown functions and bad topic filters have their own reasons', () => {
  const reasonOf = (sql: string): unknown => {
    try {
      parseSql(sql, V2);
    } catch (error) {
      return error instanceof SqlSyntaxError ? error.reason : error;
    }
    return 'parsed';
  };
  assert.equal(reasonOf("SELECT nosuch() FROM 't'"), 'unknown-function');
  assert.equal(reasonOf("SELECT * FROM 'a/#/b'"), 'topic-filter');
});
