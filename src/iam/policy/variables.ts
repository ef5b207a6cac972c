/**
 * @module iam/policy/variables — policy variables (`${iot:ClientId}`) in Resource strings and condition
 * values: parsing a string into a template once, and substituting values per request.
 *
 * A template is a list of parts. Only the policy author's own text keeps `*` and `?` as wildcards; the
 * escapes `${*}`, `${?}`, `${$}` and every substituted value are literal, so a client whose ID is `a*`
 * gets `topic/a*` and not `topic/a<anything>`. Substitution therefore produces a `Glob` with per-character
 * kinds rather than a plain string.
 *
 * IAM details kept here: `${name, 'default'}` supplies a value when the key is absent; a multi-valued key
 * substitutes its first value; an absent key (no default) makes the string match nothing. Under policy
 * language `2008-10-17` variables do not exist and `${…}` is ordinary text.
 */

import { canonicalKey, isUnsubstitutable } from './keys.js';
import { ONE, STAR, type Glob } from './wildcard.js';

/** What a context key resolves to: one value, several (e.g. `iot:ConnectAttributes`), or absent. */
export type VariableValue = string | readonly string[] | undefined;

/** Looks up a context key by its canonical name (see `keys.ts`). Must be pure and cheap. */
export type VariableResolver = (name: string) => VariableValue;

export type TemplatePart =
  /** The author's text: `*` and `?` are wildcards. */
  | { readonly kind: 'text'; readonly text: string }
  /** `${*}`, `${?}` or `${$}`: that character, literally. */
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'variable'; readonly name: string; readonly fallback: string | undefined };

export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Precomputed when the template has no variables, so the hot path does no substitution at all. */
  readonly glob: Glob | undefined;
}

const ESCAPES = new Set(['*', '?', '$']);
/** `name, 'default'` — IAM separates the default with a comma and wraps it in single quotes. */
const WITH_DEFAULT = /^([^,]*?)\s*,\s*'([^']*)'$/;

/** Splits a policy string into parts. With `variables === false` (policy language 2008-10-17) it is all text. */
export function parseTemplate(source: string, variables = true): Template {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (variables) {
    const open = source.indexOf('${', i);
    if (open < 0) break;
    const close = source.indexOf('}', open + 2);
    if (close < 0) break; // an unterminated `${` is ordinary text
    text += source.slice(i, open);
    if (text.length > 0) parts.push({ kind: 'text', text });
    text = '';
    parts.push(parseReference(source.slice(open + 2, close)));
    i = close + 1;
  }
  text += source.slice(i);
  if (text.length > 0) parts.push({ kind: 'text', text });
  const isStatic = parts.every((p) => p.kind !== 'variable');
  const template: Template = { source, parts, glob: undefined };
  return isStatic ? { ...template, glob: buildGlob(parts, []) } : template;
}

function parseReference(inner: string): TemplatePart {
  if (ESCAPES.has(inner)) return { kind: 'char', char: inner };
  const withDefault = WITH_DEFAULT.exec(inner);
  if (withDefault !== null) {
    return { kind: 'variable', name: canonicalKey((withDefault[1] ?? '').trim()), fallback: withDefault[2] ?? '' };
  }
  return { kind: 'variable', name: canonicalKey(inner.trim()), fallback: undefined };
}

/** The value substituted for a variable: the first of several, the default when absent, else undefined. */
export function substituteValue(name: string, fallback: string | undefined, resolve: VariableResolver): string | undefined {
  const value = firstValue(resolve(name));
  if (value === undefined) return fallback;
  return isUnsubstitutable(name, value) ? undefined : value;
}

export function firstValue(value: VariableValue): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/** Substitutes every variable; undefined when one cannot be resolved (the string then matches nothing). */
export function resolveGlob(template: Template, resolve: VariableResolver): Glob | undefined {
  if (template.glob !== undefined) return template.glob;
  const values: string[] = [];
  for (const part of template.parts) {
    if (part.kind !== 'variable') continue;
    const value = substituteValue(part.name, part.fallback, resolve);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return buildGlob(template.parts, values);
}

/** The template with its variables substituted once (see `bindVariables`); unchanged when one is unresolved. */
export function bindTemplate(template: Template, resolve: VariableResolver): Template {
  if (template.glob !== undefined) return template;
  const glob = resolveGlob(template, resolve);
  return glob === undefined ? template : { ...template, glob };
}

/** The substituted string with every character literal (for `StringEquals` and friends). */
export function resolveLiteral(template: Template, resolve: VariableResolver): string | undefined {
  return resolveGlob(template, resolve)?.text;
}

function buildGlob(parts: readonly TemplatePart[], values: readonly string[]): Glob {
  let text = '';
  let wild = false; // the author's text has a wildcard
  let literalWild = false; // an escape or a substituted value has a `*` or `?`
  let v = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      text += part.text;
      wild ||= hasGlobChar(part.text);
    } else {
      const literal = part.kind === 'char' ? part.char : (values[v++] ?? '');
      text += literal;
      literalWild ||= hasGlobChar(literal);
    }
  }
  // Per-character kinds are needed only when a literal `*`/`?` must be told apart from a wildcard one; in
  // the usual case (client ids, thing names) the plain string is exactly equivalent and allocates less.
  if (!literalWild) return { text, kinds: null };
  const kinds = new Uint8Array(text.length); // all LITERAL (0) except the author's own wildcards
  if (wild) {
    let at = 0;
    v = 0;
    for (const part of parts) {
      if (part.kind === 'text') {
        for (let i = 0; i < part.text.length; i++) {
          const c = part.text[i];
          if (c === '*') kinds[at + i] = STAR;
          else if (c === '?') kinds[at + i] = ONE;
        }
        at += part.text.length;
      } else {
        at += part.kind === 'char' ? 1 : (values[v++] ?? '').length;
      }
    }
  }
  return { text, kinds };
}

function hasGlobChar(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
