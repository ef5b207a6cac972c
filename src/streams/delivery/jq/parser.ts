/**
 * @module streams/delivery/jq/parser — hako's jq subset, parsed into a small tree. Every query this
 * parser accepts is valid jq 1.6 and means the same there (so a query tried on hako works on Firehose);
 * everything else is refused with a `JqSyntaxError` naming the construct and its position.
 *
 * Grammar (jq 1.6's precedence, lowest first):
 *   query   := alt ('|' query)?
 *   alt     := term ('//' alt)?
 *   term    := primary suffix*
 *   primary := '.' | FIELD | string | number | true | false | null | '(' query ')' | object | call
 *   suffix  := FIELD | '.' string | '[' (number | -number | string) ']'
 *   object  := '{' (pair (',' pair)*)? '}'
 *   pair    := (IDENT | string) (':' value)?        -- `{a}` is `{a: .a}`
 *   value   := term ('|' term)*                      -- jq's ExpD: `//` needs parentheses here
 *   call    := tostring | tonumber | todate | ascii_downcase | ascii_upcase | strftime(string)
 */
import { JqSyntaxError, tokenize, type Token } from './lexer.js';
import { checkStrftimeFormat } from './strftime.js';

export type Builtin = 'tostring' | 'tonumber' | 'todate' | 'ascii_downcase' | 'ascii_upcase' | 'strftime';

export type JqNode =
  | { readonly kind: 'identity' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'index'; readonly target: JqNode; readonly key: string | number }
  | { readonly kind: 'pipe'; readonly left: JqNode; readonly right: JqNode }
  | { readonly kind: 'alternative'; readonly left: JqNode; readonly right: JqNode }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<{ readonly key: string; readonly value: JqNode }> }
  | { readonly kind: 'call'; readonly name: Builtin; readonly format?: string };

const NO_ARGS: ReadonlySet<string> = new Set(['tostring', 'tonumber', 'todate', 'ascii_downcase', 'ascii_upcase']);
/** jq words that start constructs outside the subset, named in refusals. */
const KEYWORDS: Readonly<Record<string, string>> = {
  if: 'conditionals (if … then … end)',
  reduce: 'reduce',
  foreach: 'foreach',
  def: 'function definitions (def)',
  try: 'try/catch',
  label: 'label/break',
  import: 'modules (import)',
  include: 'modules (include)',
  and: "the 'and' operator",
  or: "the 'or' operator",
  not: 'not',
  as: 'variable binding (as)',
};
const OTHER: Readonly<Record<string, string>> = {
  '..': "'..' (recursive descent)",
  ',': "',' (multiple outputs)",
  '?': "'?' (error suppression; use '//' for a fallback)",
  ';': "';'",
};

export function parseQuery(source: string): JqNode {
  const parser = new Parser(tokenize(source));
  const node = parser.query();
  parser.expectEnd();
  return node;
}

class Parser {
  #i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  get #peek(): Token {
    return this.tokens[this.#i] as Token;
  }

  #next(): Token {
    return this.tokens[this.#i++] as Token;
  }

  #is(text: string): boolean {
    const token = this.#peek;
    return token.kind === 'punct' && token.text === text;
  }

  #expect(text: string, what: string): void {
    if (!this.#is(text)) throw this.#unexpected(this.#peek, what);
    this.#i++;
  }

  expectEnd(): void {
    if (this.#peek.kind !== 'eof') throw this.#unexpected(this.#peek, 'the end of the query');
  }

  query(): JqNode {
    const left = this.#alternative();
    if (!this.#is('|')) return left;
    this.#i++;
    return { kind: 'pipe', left, right: this.query() };
  }

  #alternative(): JqNode {
    const left = this.#term();
    if (!this.#is('//')) return left;
    this.#i++;
    return { kind: 'alternative', left, right: this.#alternative() };
  }

  /** jq's ExpD (an object value): terms joined by pipes, nothing looser. */
  #objectValue(): JqNode {
    let node = this.#term();
    while (this.#is('|')) {
      this.#i++;
      node = { kind: 'pipe', left: node, right: this.#term() };
    }
    if (this.#is('//')) throw new JqSyntaxError(`'//' at position ${this.#peek.pos} is not allowed in an object value in jq 1.6: wrap it in parentheses, {key: (a // b)}`, this.#peek.pos);
    return node;
  }

  #term(): JqNode {
    let node = this.#primary();
    for (;;) {
      const token = this.#peek;
      if (token.kind === 'field') {
        this.#i++;
        node = { kind: 'index', target: node, key: token.name };
      } else if (this.#is('.') && this.tokens[this.#i + 1]?.kind === 'string') {
        this.#i++;
        node = { kind: 'index', target: node, key: (this.#next() as { value: string }).value };
      } else if (this.#is('[')) {
        node = { kind: 'index', target: node, key: this.#bracketKey() };
      } else return node;
    }
  }

  #bracketKey(): string | number {
    const open = this.#next();
    let token = this.#next();
    let negative = false;
    if (token.kind === 'other' && token.text === '-' && this.#peek.kind === 'number') {
      negative = true;
      token = this.#next();
    }
    if (token.kind === 'punct' && token.text === ']') throw new JqSyntaxError(`'[]' (iteration) at position ${open.pos} is not supported`, open.pos);
    let key: string | number;
    if (token.kind === 'number' && Number.isInteger(token.value)) key = negative ? -token.value : token.value;
    else if (token.kind === 'string' && !negative) key = token.value;
    else throw new JqSyntaxError(`an index at position ${open.pos} must be a whole number or a string literal (slices and computed indices are not supported)`, open.pos);
    if (!this.#is(']')) throw new JqSyntaxError(`an index at position ${open.pos} must be a whole number or a string literal (slices and computed indices are not supported)`, open.pos);
    this.#i++;
    return key;
  }

  #primary(): JqNode {
    const token = this.#next();
    switch (token.kind) {
      case 'field':
        return { kind: 'index', target: { kind: 'identity' }, key: token.name };
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'ident':
        return this.#word(token);
      case 'punct':
        if (token.text === '.') {
          if (this.#peek.kind === 'string') return { kind: 'index', target: { kind: 'identity' }, key: (this.#next() as { value: string }).value };
          return { kind: 'identity' };
        }
        if (token.text === '(') {
          const inner = this.query();
          this.#expect(')', "')'");
          return inner;
        }
        if (token.text === '{') return this.#object();
        if (token.text === '[') throw new JqSyntaxError(`array construction '[…]' at position ${token.pos} is not supported`, token.pos);
        throw this.#unexpected(token, 'an expression');
      default:
        throw this.#unexpected(token, 'an expression');
    }
  }

  #word(token: Token & { kind: 'ident' }): JqNode {
    const name = token.text;
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'null') return { kind: 'literal', value: null };
    const keyword = KEYWORDS[name];
    if (keyword !== undefined) throw new JqSyntaxError(`${keyword} at position ${token.pos} is not supported`, token.pos);
    const hasArgs = this.#is('(');
    if (name === 'strftime' && hasArgs) {
      this.#i++;
      const format = this.#next();
      if (format.kind !== 'string') throw new JqSyntaxError(`strftime's argument at position ${format.pos} must be a string literal`, format.pos);
      checkStrftimeFormat(format.value, format.pos);
      this.#expect(')', "')' (strftime takes one argument)");
      return { kind: 'call', name: 'strftime', format: format.value };
    }
    if (NO_ARGS.has(name) && !hasArgs) return { kind: 'call', name: name as Builtin };
    throw new JqSyntaxError(`function '${name}/${hasArgs ? this.#arity() : 0}' at position ${token.pos} is not supported (hako's jq subset has tostring, tonumber, todate, ascii_downcase, ascii_upcase and strftime/1)`, token.pos);
  }

  /** Counts a call's arguments (for the refusal's `name/arity`), without parsing them. */
  #arity(): number {
    let depth = 0;
    let count = 1;
    for (let j = this.#i; j < this.tokens.length; j++) {
      const t = this.tokens[j] as Token;
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
      else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) {
        if (--depth === 0) return count;
      } else if (depth === 1 && t.kind === 'other' && t.text === ';') count++;
    }
    return count;
  }

  #object(): JqNode {
    const entries: Array<{ key: string; value: JqNode }> = [];
    if (this.#is('}')) {
      this.#i++;
      return { kind: 'object', entries };
    }
    for (;;) {
      const keyToken = this.#next();
      let key: string;
      if (keyToken.kind === 'ident') key = keyToken.text;
      else if (keyToken.kind === 'string') key = keyToken.value;
      else if (keyToken.kind === 'other' && keyToken.text.startsWith('$')) throw new JqSyntaxError(`variables ('${keyToken.text}') at position ${keyToken.pos} are not supported`, keyToken.pos);
      else if (keyToken.kind === 'punct' && keyToken.text === '(') throw new JqSyntaxError(`computed object keys '(…):' at position ${keyToken.pos} are not supported`, keyToken.pos);
      else throw this.#unexpected(keyToken, 'an object key');
      let value: JqNode = { kind: 'index', target: { kind: 'identity' }, key };
      if (this.#is(':')) {
        this.#i++;
        value = this.#objectValue();
      }
      entries.push({ key, value });
      if (this.#is(',')) {
        this.#i++;
        continue;
      }
      this.#expect('}', "',' or '}'");
      return { kind: 'object', entries };
    }
  }

  #unexpected(token: Token, expected: string): JqSyntaxError {
    if (token.kind === 'eof') return new JqSyntaxError(`the query ends where ${expected} was expected`, token.pos);
    const keyword = token.kind === 'ident' ? KEYWORDS[token.text] : undefined;
    if (keyword !== undefined) return new JqSyntaxError(`${keyword} at position ${token.pos} is not supported`, token.pos);
    const named = OTHER[token.text];
    if (named !== undefined) return new JqSyntaxError(`${named} at position ${token.pos} is not supported`, token.pos);
    if (token.kind === 'other') {
      const what = token.text.startsWith('$') ? `variables ('${token.text}')` : token.text.startsWith('@') ? `format strings ('${token.text}')` : `the operator '${token.text}'`;
      return new JqSyntaxError(`${what} at position ${token.pos} ${token.text.startsWith('$') || token.text.startsWith('@') ? 'are' : 'is'} not supported`, token.pos);
    }
    return new JqSyntaxError(`unexpected '${token.text}' at position ${token.pos}: expected ${expected}`, token.pos);
  }
}
