/**
 * @module rules/sql/lexer — turns IoT SQL text into tokens with 1-based line/column positions.
 *
 * Tokens are produced on demand (`next()`), so a substitution template can lex an expression that starts
 * in the middle of a larger string and stop at its closing `}` without touching what follows.
 *
 * Choices [spec §4.2; DG iot-sql-json.md, iot-sql-functions.md]:
 * - Keywords are case-insensitive and reserved; other words are identifiers (payload keys, function
 *   names). Keys with `-`, spaces or a leading digit cannot be identifiers and need `get(obj, "key")`.
 * - Both quote styles make string literals (the AWS examples use `get(obj,"key")` and `= "myValue"`);
 *   the FROM clause alone insists on single quotes.
 * - Escapes: `\'` `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` `\uXXXX`, and a doubled quote (`'it''s'`).
 *   Any other backslash is kept as written, so regular expressions such as `'\d+'` need no doubling.
 *   AWS does not document its escapes; this is the JSON set plus SQL's doubled quote.
 * - `!=` is accepted as a synonym of `<>`; there is no `||` operator in the AWS dialect (use `+` or
 *   `concat`).
 */

import { SqlSyntaxError } from './errors.js';

export const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'VALUE', 'TRUE', 'FALSE', 'NULL',
]);

export type TokenKind = 'identifier' | 'keyword' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Keywords upper-cased, strings unescaped, identifiers/numbers/punctuation as written. */
  readonly value: string;
  /** The source text of the token (`''` at end of input). */
  readonly text: string;
  /** For strings: which quote delimited it. */
  readonly quote?: "'" | '"';
  readonly line: number;
  readonly column: number;
  /** Offsets of the token in the source: `[start, end)`. */
  readonly start: number;
  readonly end: number;
}

const PUNCTUATION_2 = new Set(['<>', '!=', '<=', '>=']);
const PUNCTUATION_1 = new Set(['+', '-', '*', '/', '%', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':']);
const SIMPLE_ESCAPES: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

/** How a token is quoted in an error message. */
export function describeToken(token: Token): string {
  return token.kind === 'eof' ? 'end of input' : `'${token.text}'`;
}

export class Lexer {
  readonly source: string;
  #pos: number;
  #line = 1;
  #lineStart = 0;

  constructor(source: string, start = 0) {
    this.source = source;
    this.#pos = start;
    // Positions stay relative to the whole source even when lexing starts mid-way (templates).
    for (let i = 0; i < start; i++) {
      if (source.charCodeAt(i) === 10) {
        this.#line++;
        this.#lineStart = i + 1;
      }
    }
  }

  #error(message: string, offset: number): SqlSyntaxError {
    return new SqlSyntaxError(message, { line: this.#line, column: offset - this.#lineStart + 1 });
  }

  #skipWhitespace(): void {
    const s = this.source;
    while (this.#pos < s.length) {
      const c = s.charCodeAt(this.#pos);
      if (c === 10) {
        this.#pos++;
        this.#line++;
        this.#lineStart = this.#pos;
      } else if (c === 32 || c === 9 || c === 13) {
        this.#pos++;
      } else {
        break;
      }
    }
  }

  #token(kind: TokenKind, value: string, start: number, line: number, column: number, quote?: "'" | '"'): Token {
    const text = this.source.slice(start, this.#pos);
    return quote === undefined
      ? { kind, value, text, line, column, start, end: this.#pos }
      : { kind, value, text, quote, line, column, start, end: this.#pos };
  }

  next(): Token {
    this.#skipWhitespace();
    const s = this.source;
    const start = this.#pos;
    const line = this.#line;
    const column = start - this.#lineStart + 1;
    if (start >= s.length) return { kind: 'eof', value: '', text: '', line, column, start, end: start };
    const c = s.charCodeAt(start);

    if (isIdentifierStart(c)) {
      let end = start + 1;
      while (end < s.length && isIdentifierPart(s.charCodeAt(end))) end++;
      this.#pos = end;
      const word = s.slice(start, end);
      const upper = word.toUpperCase();
      return KEYWORDS.has(upper) ? this.#token('keyword', upper, start, line, column) : this.#token('identifier', word, start, line, column);
    }

    if (isDigit(c)) return this.#number(start, line, column);

    if (c === 39 || c === 34) return this.#string(start, line, column, c === 39 ? "'" : '"');

    const two = s.slice(start, start + 2);
    if (PUNCTUATION_2.has(two)) {
      this.#pos += 2;
      return this.#token('punct', two === '!=' ? '<>' : two, start, line, column);
    }
    const one = s[start] as string;
    if (PUNCTUATION_1.has(one)) {
      this.#pos += 1;
      return this.#token('punct', one, start, line, column);
    }
    throw this.#error(`Unexpected character '${one}'`, start);
  }

  #number(start: number, line: number, column: number): Token {
    const s = this.source;
    let end = start;
    while (end < s.length && isDigit(s.charCodeAt(end))) end++;
    if (s[end] === '.' && isDigit(s.charCodeAt(end + 1))) {
      end += 1;
      while (end < s.length && isDigit(s.charCodeAt(end))) end++;
    }
    if (s[end] === 'e' || s[end] === 'E') {
      let exponent = end + 1;
      if (s[exponent] === '+' || s[exponent] === '-') exponent++;
      if (isDigit(s.charCodeAt(exponent))) {
        end = exponent;
        while (end < s.length && isDigit(s.charCodeAt(end))) end++;
      }
    }
    if (end < s.length && isIdentifierStart(s.charCodeAt(end))) {
      throw this.#error(`Invalid number '${s.slice(start, end + 1)}'`, start);
    }
    this.#pos = end;
    return this.#token('number', s.slice(start, end), start, line, column);
  }

  #string(start: number, line: number, column: number, quote: "'" | '"'): Token {
    const s = this.source;
    let value = '';
    let i = start + 1;
    let chunk = i;
    for (;;) {
      if (i >= s.length) throw new SqlSyntaxError('Unterminated string literal', { line, column });
      const ch = s[i];
      if (ch === quote) {
        if (s[i + 1] === quote) {
          value += s.slice(chunk, i + 1);
          i += 2;
          chunk = i;
          continue;
        }
        value += s.slice(chunk, i);
        i++;
        break;
      }
      if (ch === '\n') {
        this.#line++;
        this.#lineStart = i + 1;
      }
      if (ch === '\\') {
        value += s.slice(chunk, i);
        const escaped = s[i + 1];
        const simple = escaped === undefined ? undefined : SIMPLE_ESCAPES[escaped];
        if (simple !== undefined) {
          value += simple;
          i += 2;
        } else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          value += '\\';
          i += 1;
        }
        chunk = i;
        continue;
      }
      i++;
    }
    this.#pos = i;
    return this.#token('string', value, start, line, column, quote);
  }
}

/** Lexes a whole text (for tests and tools; the parser pulls tokens lazily). */
export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'eof') return tokens;
  }
}
