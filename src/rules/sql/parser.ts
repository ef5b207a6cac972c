/**
 * @module rules/sql/parser — recursive-descent parser from IoT SQL text to the typed AST [spec §4.2].
 *
 * `SELECT [VALUE] items [FROM 'filter'] [WHERE cond]`, FROM optional for Basic-Ingest-only rules.
 * Precedence, loosest first: OR, AND, NOT, comparisons, `+ -`, `* / %`, unary minus, postfix `.name`
 * and `[index]`. Version-gated syntax (object/array literals, nested SELECT, 2016 functions, `cast` to
 * Decimal/Boolean) under 2015-10-08 and calls to unknown functions are rejected here, with positions,
 * so a bad rule fails at creation rather than per message.
 *
 * Also accepted, though AWS documents only the simple form: the searched `CASE WHEN cond THEN …`.
 */

import { defaultOutputName, type BinaryOp, type CastType, type Expr, type Position, type SelectItem, type SelectQuery } from './ast.js';
import { SqlSyntaxError, type SqlErrorReason } from './errors.js';
import { lookupFunction } from './functions/index.js';
import { supports } from './functions/registry.js';
import { describeToken, type Lexer, type Token } from './lexer.js';
import { SqlDecimal, type SqlVersion } from './values.js';

const CAST_TYPES: Record<string, { type: CastType; since: SqlVersion }> = {
  string: { type: 'String', since: '2015-10-08' },
  nvarchar: { type: 'String', since: '2015-10-08' },
  text: { type: 'String', since: '2015-10-08' },
  ntext: { type: 'String', since: '2015-10-08' },
  varchar: { type: 'String', since: '2015-10-08' },
  int: { type: 'Int', since: '2015-10-08' },
  integer: { type: 'Int', since: '2015-10-08' },
  double: { type: 'Double', since: '2015-10-08' },
  decimal: { type: 'Decimal', since: '2016-03-23' },
  bool: { type: 'Boolean', since: '2016-03-23' },
  boolean: { type: 'Boolean', since: '2016-03-23' },
};

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);

export class Parser {
  readonly #lexer: Lexer;
  readonly #version: SqlVersion;
  #current: Token;
  #lookahead: Token | undefined;
  readonly externals = new Set<string>();

  constructor(lexer: Lexer, version: SqlVersion) {
    this.#lexer = lexer;
    this.#version = version;
    this.#current = lexer.next();
  }

  get current(): Token {
    return this.#current;
  }

  #advance(): Token {
    const token = this.#current;
    this.#current = this.#lookahead ?? this.#lexer.next();
    this.#lookahead = undefined;
    return token;
  }

  #peek(): Token {
    this.#lookahead ??= this.#lexer.next();
    return this.#lookahead;
  }

  #isKeyword(keyword: string, token = this.#current): boolean {
    return token.kind === 'keyword' && token.value === keyword;
  }

  #isPunct(punct: string, token = this.#current): boolean {
    return token.kind === 'punct' && token.value === punct;
  }

  #fail(expected: string, token = this.#current): never {
    const found = describeToken(token);
    throw new SqlSyntaxError(`Expected ${expected} but found ${found}`, { line: token.line, column: token.column, expected, found });
  }

  #error(message: string, at: Position, reason: SqlErrorReason): never {
    throw new SqlSyntaxError(message, { line: at.line, column: at.column, reason });
  }

  #requireVersion(feature: string, at: Position, since: SqlVersion = '2016-03-23'): void {
    if (!supports(this.#version, since)) {
      this.#error(`${feature} requires SQL version ${since} (this statement uses ${this.#version})`, at, 'version');
    }
  }

  #expectKeyword(keyword: string): Token {
    if (!this.#isKeyword(keyword)) this.#fail(keyword);
    return this.#advance();
  }

  #expectPunct(punct: string): Token {
    if (!this.#isPunct(punct)) this.#fail(`'${punct}'`);
    return this.#advance();
  }

  /**
   * A name after `AS` or `.`: identifiers, and keywords spelled as written (`AS value` appears in the
   * AWS examples, `a.value` is unambiguous) — except FROM and WHERE after `AS`, which end the item.
   */
  #expectName(what: string, afterAs: boolean): string {
    const token = this.#current;
    const clause = token.kind === 'keyword' && (token.value === 'FROM' || token.value === 'WHERE');
    if (token.kind === 'identifier' || (token.kind === 'keyword' && !(afterAs && clause))) return this.#advance().text;
    return this.#fail(what);
  }

  parseStatement(): { query: SelectQuery; topicFilter: string | undefined } {
    const { query, topicFilter } = this.#parseQuery(false);
    if (this.#current.kind !== 'eof') {
      if (query.where !== undefined) this.#fail('end of input');
      this.#fail(topicFilter === undefined ? "',', FROM, WHERE or end of input" : 'WHERE or end of input');
    }
    return { query, topicFilter };
  }

  #parseQuery(nested: boolean): { query: SelectQuery; topicFilter: string | undefined } {
    this.#expectKeyword('SELECT');
    let value = false;
    if (this.#isKeyword('VALUE')) {
      this.#advance();
      value = true;
    }
    const items: SelectItem[] = [];
    do {
      if (items.length > 0) this.#advance();
      items.push(this.#parseSelectItem(items.length, value));
    } while (this.#isPunct(','));
    if (value && items.length > 1) this.#error('SELECT VALUE takes exactly one expression', this.#current, 'syntax');
    let topicFilter: string | undefined;
    let from: Expr | undefined;
    if (this.#isKeyword('FROM')) {
      this.#advance();
      if (nested) from = this.parseExpression();
      else topicFilter = this.#parseTopicFilter();
    } else if (nested) {
      this.#fail("',' or FROM");
    }
    let where: Expr | undefined;
    if (this.#isKeyword('WHERE')) {
      this.#advance();
      where = this.parseExpression();
    }
    return { query: { value, items, from, where }, topicFilter };
  }

  #parseTopicFilter(): string {
    const token = this.#current;
    if (token.kind !== 'string' || token.quote !== "'") this.#fail('a topic filter in single quotes');
    this.#advance();
    const levels = token.value.split('/');
    const valid = token.value.length > 0 && levels.every((level, i) =>
      (level === '#' && i === levels.length - 1) || level === '+' || (!level.includes('#') && !level.includes('+')));
    if (!valid || token.value.includes('\u0000')) this.#error(`Invalid topic filter '${token.value}'`, token, 'topic-filter');
    return token.value;
  }

  #parseSelectItem(index: number, value: boolean): SelectItem {
    const start = this.#current;
    if (!value && this.#isPunct('*')) {
      const next = this.#peek();
      if (this.#isPunct(',', next) || this.#isKeyword('FROM', next) || this.#isKeyword('WHERE', next) || next.kind === 'eof' || this.#isPunct(')', next)) {
        this.#advance();
        return { kind: 'all', pos: start };
      }
    }
    const expr = this.parseExpression();
    let alias: string[] | undefined;
    if (this.#isKeyword('AS')) {
      this.#advance();
      alias = [this.#expectName('an alias', true)];
      while (this.#isPunct('.')) {
        this.#advance();
        alias.push(this.#expectName('an alias segment', true));
      }
    }
    return { kind: 'expr', expr, alias, outputPath: alias ?? [defaultOutputName(expr, index)], pos: start };
  }

  parseExpression(): Expr {
    return this.#parseOr();
  }

  #binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right, pos: left.pos };
  }

  #parseOr(): Expr {
    let left = this.#parseAnd();
    while (this.#isKeyword('OR')) {
      this.#advance();
      left = this.#binary('OR', left, this.#parseAnd());
    }
    return left;
  }

  #parseAnd(): Expr {
    let left = this.#parseNot();
    while (this.#isKeyword('AND')) {
      this.#advance();
      left = this.#binary('AND', left, this.#parseNot());
    }
    return left;
  }

  #parseNot(): Expr {
    if (this.#isKeyword('NOT')) {
      const token = this.#advance();
      return { kind: 'unary', op: 'NOT', operand: this.#parseNot(), pos: token };
    }
    return this.#parseComparison();
  }

  #parseComparison(): Expr {
    let left = this.#parseAdditive();
    while (this.#current.kind === 'punct' && COMPARISONS.has(this.#current.value)) {
      const op = this.#advance().value as BinaryOp;
      left = this.#binary(op, left, this.#parseAdditive());
    }
    return left;
  }

  #parseAdditive(): Expr {
    let left = this.#parseMultiplicative();
    while (this.#isPunct('+') || this.#isPunct('-')) {
      const op = this.#advance().value as BinaryOp;
      left = this.#binary(op, left, this.#parseMultiplicative());
    }
    return left;
  }

  #parseMultiplicative(): Expr {
    let left = this.#parseUnary();
    while (this.#isPunct('*') || this.#isPunct('/') || this.#isPunct('%')) {
      const op = this.#advance().value as BinaryOp;
      left = this.#binary(op, left, this.#parseUnary());
    }
    return left;
  }

  #parseUnary(): Expr {
    if (this.#isPunct('-')) {
      const token = this.#advance();
      const operand = this.#parseUnary();
      if (operand.kind === 'literal' && typeof operand.value === 'number') return { kind: 'literal', value: -operand.value + 0, pos: token };
      if (operand.kind === 'literal' && operand.value instanceof SqlDecimal) {
        return { kind: 'literal', value: new SqlDecimal(-operand.value.value + 0), pos: token };
      }
      return { kind: 'unary', op: '-', operand, pos: token };
    }
    if (this.#isPunct('+')) this.#advance();
    return this.#parsePostfix(this.#parsePrimary());
  }

  #parsePostfix(expr: Expr): Expr {
    for (;;) {
      if (this.#isPunct('.')) {
        const dot = this.#advance();
        expr = { kind: 'member', object: expr, name: this.#expectName('an attribute name', false), pos: dot };
      } else if (this.#isPunct('[')) {
        const bracket = this.#advance();
        const index = this.parseExpression();
        this.#expectPunct(']');
        expr = { kind: 'index', object: expr, index, pos: bracket };
      } else {
        return expr;
      }
    }
  }

  #parsePrimary(): Expr {
    const token = this.#current;
    switch (token.kind) {
      case 'number':
        this.#advance();
        return { kind: 'literal', value: this.#numberValue(token.value), pos: token };
      case 'string':
        this.#advance();
        return { kind: 'literal', value: token.value, pos: token };
      case 'identifier':
        if (this.#isPunct('(', this.#peek())) return this.#parseCall();
        this.#advance();
        return { kind: 'field', name: token.value, pos: token };
      case 'keyword':
        switch (token.value) {
          case 'TRUE': this.#advance(); return { kind: 'literal', value: true, pos: token };
          case 'FALSE': this.#advance(); return { kind: 'literal', value: false, pos: token };
          case 'NULL': this.#advance(); return { kind: 'literal', value: null, pos: token };
          case 'CASE': return this.#parseCase();
          // `value` is a common payload key; in operand position the keyword can mean nothing else.
          case 'VALUE': this.#advance(); return { kind: 'field', name: token.text, pos: token };
          default: return this.#fail('an expression');
        }
      case 'punct':
        switch (token.value) {
          case '(': return this.#parseParenthesized();
          case '{': return this.#parseObject();
          case '[': return this.#parseArray();
          case '*': this.#advance(); return { kind: 'star', pos: token };
          default: return this.#fail('an expression');
        }
      default:
        return this.#fail('an expression');
    }
  }

  /** `10.0` is a Decimal; under 2016-03-23 whole-number decimals are Ints [spec §4.2]. */
  #numberValue(text: string): number | SqlDecimal {
    const n = Number(text);
    const decimal = /[.eE]/.test(text);
    return decimal && Number.isInteger(n) && this.#version === '2015-10-08' ? new SqlDecimal(n) : n;
  }

  #parseParenthesized(): Expr {
    const open = this.#advance();
    if (this.#isKeyword('SELECT')) {
      this.#requireVersion('A nested SELECT', open);
      const { query } = this.#parseQuery(true);
      this.#expectPunct(')');
      return { kind: 'subquery', query, pos: open };
    }
    const expr = this.parseExpression();
    this.#expectPunct(')');
    return expr;
  }

  #parseObject(): Expr {
    const open = this.#advance();
    this.#requireVersion('An object literal', open);
    const entries: { key: string; value: Expr }[] = [];
    if (!this.#isPunct('}')) {
      do {
        if (entries.length > 0) this.#advance();
        if (this.#current.kind !== 'string') this.#fail('a quoted key');
        const key = this.#advance().value;
        this.#expectPunct(':');
        entries.push({ key, value: this.parseExpression() });
      } while (this.#isPunct(','));
    }
    if (!this.#isPunct('}')) this.#fail("',' or '}'");
    this.#advance();
    return { kind: 'object', entries, pos: open };
  }

  #parseArray(): Expr {
    const open = this.#advance();
    this.#requireVersion('An array literal', open);
    const items: Expr[] = [];
    if (!this.#isPunct(']')) {
      do {
        if (items.length > 0) this.#advance();
        items.push(this.parseExpression());
      } while (this.#isPunct(','));
    }
    if (!this.#isPunct(']')) this.#fail("',' or ']'");
    this.#advance();
    return { kind: 'array', items, pos: open };
  }

  #parseCase(): Expr {
    const start = this.#advance();
    const subject = this.#isKeyword('WHEN') ? undefined : this.parseExpression();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.#isKeyword('WHEN')) {
      this.#advance();
      const when = this.parseExpression();
      this.#expectKeyword('THEN');
      whens.push({ when, then: this.parseExpression() });
    }
    if (whens.length === 0) this.#fail('WHEN');
    let otherwise: Expr | undefined;
    if (this.#isKeyword('ELSE')) {
      this.#advance();
      otherwise = this.parseExpression();
    }
    if (!this.#isKeyword('END')) this.#fail(otherwise === undefined ? 'WHEN, ELSE or END' : 'END');
    this.#advance();
    return { kind: 'case', subject, whens, otherwise, pos: start };
  }

  #parseCall(): Expr {
    const nameToken = this.#advance();
    const name = nameToken.value.toLowerCase();
    this.#advance(); // '('
    if (name === 'cast') return this.#parseCast(nameToken);
    const fn = lookupFunction(name);
    if (fn === undefined) this.#error(`Unknown function '${nameToken.value}'`, nameToken, 'unknown-function');
    this.#requireVersion(`Function ${name}()`, nameToken, fn.since);
    if (fn.external === true) this.externals.add(name);
    const args: Expr[] = [];
    if (!this.#isPunct(')')) {
      do {
        if (args.length > 0) this.#advance();
        args.push(this.parseExpression());
      } while (this.#isPunct(','));
    }
    if (!this.#isPunct(')')) this.#fail("',' or ')'");
    this.#advance();
    return { kind: 'call', name, args, pos: nameToken };
  }

  #parseCast(nameToken: Token): Expr {
    const value = this.parseExpression();
    this.#expectKeyword('AS');
    const typeToken = this.#current;
    const cast = typeToken.kind === 'identifier' ? CAST_TYPES[typeToken.value.toLowerCase()] : undefined;
    if (cast === undefined) this.#fail('a cast type (String, Int, Double, Decimal, Boolean, …)');
    this.#requireVersion(`Casting to ${typeToken.value}`, typeToken, cast.since);
    this.#advance();
    this.#expectPunct(')');
    return { kind: 'cast', value, type: cast.type, pos: nameToken };
  }
}
