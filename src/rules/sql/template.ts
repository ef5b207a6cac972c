/**
 * @module rules/sql/template — substitution templates: `${expression}` inside action parameters (topic,
 * key, URL, headers …), evaluated against the original message — payload fields, functions and
 * operators, not SELECT aliases [spec §4.5; DG iot-substitution-templates.md].
 *
 * `$$` is a literal `$` (`$$aws/things/t/shadow/update` → `$aws/things/t/shadow/update`); a `$` not
 * followed by `{` or `$` is kept. Values render with the "to String" conversion; Undefined, Null and raw
 * bytes render as the empty string. Compile once per action parameter, render per message.
 */

import { compileExpr, readsRow, type Env, type Evaluator } from './compile.js';
import type { EvalContext } from './context.js';
import { rowOf } from './evaluator.js';
import { assertVersion, parseTemplateExpression } from './parse.js';
import { toStr, type SqlValue, type SqlVersion } from './values.js';

export interface CompiledTemplate {
  readonly source: string;
  readonly version: SqlVersion;
  /** True when the template has no `${…}`: `render` then needs no payload parse. */
  readonly isStatic: boolean;
  render(ctx: EvalContext): string;
}

function renderValue(value: SqlValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return '';
  return toStr(value) ?? '';
}

/** Parses a template once; throws `SqlSyntaxError` (positions within the template) on a bad `${…}`. */
export function compileTemplate(template: string, version: SqlVersion = '2015-10-08'): CompiledTemplate {
  assertVersion(version);
  const parts: (string | Evaluator)[] = [];
  let readsPayload = false;
  let text = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '$' && template[i + 1] === '$') {
      text += '$';
      i += 2;
    } else if (ch === '$' && template[i + 1] === '{') {
      const { expr, end } = parseTemplateExpression(template, i + 2, version);
      if (text !== '') parts.push(text);
      text = '';
      parts.push(compileExpr(expr, 'top'));
      readsPayload ||= readsRow(expr);
      i = end;
    } else {
      text += ch;
      i++;
    }
  }
  if (text !== '' || parts.length === 0) parts.push(text);
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const fixed = parts[0];
    return { source: template, version, isStatic: true, render: () => fixed };
  }
  return {
    source: template,
    version,
    isStatic: false,
    render(ctx: EvalContext): string {
      const env: Env = { ctx, row: readsPayload ? rowOf(ctx) : undefined, version };
      let out = '';
      for (const part of parts) out += typeof part === 'string' ? part : renderValue(part(env));
      return out;
    },
  };
}

/** One-off rendering; prefer `compileTemplate` for anything rendered per message. */
export function renderTemplate(template: string, ctx: EvalContext, version?: SqlVersion): string {
  return compileTemplate(template, version).render(ctx);
}
