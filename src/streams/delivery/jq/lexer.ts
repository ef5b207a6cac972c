/**
 * @module streams/delivery/jq/lexer — tokens of jq 1.6 source, enough to parse hako's subset and to name
 * whatever else a query uses (an operator, `$var`, `@format`) when refusing it.
 *
 * As in jq, `.name` directly followed by an identifier is one `field` token (`. name` is not a field),
 * `#` starts a comment to the end of the line, and strings take JSON's escapes; `\(…)` (interpolation) is
 * refused here because it would need the rest of jq's grammar inside a string.
 */

export type Token =
  | { readonly kind: 'punct'; readonly text: '.' | '..' | '|' | '//' | ',' | ':' | '{' | '}' | '[' | ']' | '(' | ')' | '?'; readonly pos: number }
  | { readonly kind: 'field'; readonly text: string; readonly name: string; readonly pos: number }
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly text: string; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly pos: number }
  /** Operators and sigils outside the subset (`+`, `==`, `$x`, `@base64`, `;` …), kept for the refusal. */
  | { readonly kind: 'other'; readonly text: string; readonly pos: number }
  | { readonly kind: 'eof'; readonly text: ''; readonly pos: number };

/** A query hako cannot take: bad syntax or a construct outside the subset. `pos` is a 0-based offset. */
export class JqSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
/** Longest first, so `//` wins over `/` and `==` over `=`. */
const OPERATORS = ['?//', '|=', '+=', '-=', '*=', '/=', '%=', '//=', '==', '!=', '<=', '>=', '//', '..', '+', '-', '*', '/', '%', '<', '>', '=', ';'];
const PUNCT = new Set(['.', '..', '|', '//', ',', ':', '{', '}', '[', ']', '(', ')', '?']);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const pos = i;
    if (c === '"') {
      const { value, end } = readString(source, i);
      tokens.push({ kind: 'string', text: source.slice(pos, end), value, pos });
      i = end;
      continue;
    }
    const number = NUMBER.exec(source.slice(i));
    if (number !== null && !(c === '.' && IDENT_START.test(source[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), pos });
      i += number[0].length;
      continue;
    }
    if (c === '.' && IDENT_START.test(source[i + 1] ?? '')) {
      let end = i + 1;
      while (end < source.length && IDENT_PART.test(source[end] as string)) end++;
      tokens.push({ kind: 'field', text: source.slice(i, end), name: source.slice(i + 1, end), pos });
      i = end;
      continue;
    }
    if (IDENT_START.test(c)) {
      let end = i;
      while (end < source.length && (IDENT_PART.test(source[end] as string) || (source.startsWith('::', end) && IDENT_START.test(source[end + 2] ?? '')))) end += source.startsWith('::', end) ? 2 : 1;
      tokens.push({ kind: 'ident', text: source.slice(i, end), pos });
      i = end;
      continue;
    }
    if (c === '$' || c === '@') {
      let end = i + 1;
      while (end < source.length && IDENT_PART.test(source[end] as string)) end++;
      tokens.push({ kind: 'other', text: source.slice(i, end), pos });
      i = end;
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, i));
    const text = operator ?? c;
    if (PUNCT.has(text)) tokens.push({ kind: 'punct', text: text as '.', pos });
    else tokens.push({ kind: 'other', text, pos });
    i += text.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length });
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = source[i + 1];
    if (next === '(') throw new JqSyntaxError(`string interpolation '\\(…)' at position ${i} is not supported`, i);
    if (next === 'u') {
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JqSyntaxError(`invalid \\u escape at position ${i}`, i);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
      continue;
    }
    const escaped = next === undefined ? undefined : ESCAPES[next];
    if (escaped === undefined) throw new JqSyntaxError(`invalid escape '\\${next ?? ''}' at position ${i}`, i);
    value += escaped;
    i += 2;
  }
  throw new JqSyntaxError(`the string starting at position ${start} is not closed`, start);
}
