/**
 * @module rules/sql/ast — the typed syntax tree of an IoT SQL statement: a discriminated union per node
 * kind, each node carrying the position of its first token for error messages.
 */

import type { SqlDecimal, SqlVersion } from './values.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type BinaryOp = 'AND' | 'OR' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

/** `cast(v AS type)` targets, normalised; the keyword spellings map onto these [DG cast()]. */
export type CastType = 'String' | 'Int' | 'Double' | 'Decimal' | 'Boolean';

export type LiteralValue = string | number | boolean | null | SqlDecimal;

export type Expr =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly pos: Position }
  /** A key of the current row: the payload at the top level, an array element inside a nested SELECT. */
  | { readonly kind: 'field'; readonly name: string; readonly pos: Position }
  /** `*` used as a value (e.g. `encode(*, 'base64')`, `aws_lambda(arn, *)`). */
  | { readonly kind: 'star'; readonly pos: Position }
  | { readonly kind: 'member'; readonly object: Expr; readonly name: string; readonly pos: Position }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr; readonly pos: Position }
  /** `name` is lower-cased: function names are case-insensitive (`Round`, `isNull`, `Trim`). */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly pos: Position }
  | { readonly kind: 'cast'; readonly value: Expr; readonly type: CastType; readonly pos: Position }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly operand: Expr; readonly pos: Position }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Position }
  /** `subject` absent for the searched form `CASE WHEN cond THEN …`. */
  | {
      readonly kind: 'case';
      readonly subject: Expr | undefined;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly otherwise: Expr | undefined;
      readonly pos: Position;
    }
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly value: Expr }[]; readonly pos: Position }
  | { readonly kind: 'array'; readonly items: readonly Expr[]; readonly pos: Position }
  | { readonly kind: 'subquery'; readonly query: SelectQuery; readonly pos: Position };

export type ExprKind = Expr['kind'];

export type SelectItem =
  | { readonly kind: 'all'; readonly pos: Position }
  | {
      readonly kind: 'expr';
      readonly expr: Expr;
      /** The `AS` alias split on dots (`AS a.b` → `['a', 'b']`), if any. */
      readonly alias: readonly string[] | undefined;
      /** Where the value lands in the output object: the alias, else a name derived from the expression. */
      readonly outputPath: readonly string[];
      readonly pos: Position;
    };

export interface SelectQuery {
  /** `SELECT VALUE expr`: the output is the bare value, not an object. */
  readonly value: boolean;
  readonly items: readonly SelectItem[];
  /** Nested queries only: the expression iterated over (`FROM e`). */
  readonly from: Expr | undefined;
  readonly where: Expr | undefined;
}

export interface Statement {
  readonly sql: string;
  readonly version: SqlVersion;
  /** The FROM topic filter, for indexing rules in a topic trie; absent for Basic-Ingest-only rules. */
  readonly topicFilter: string | undefined;
  readonly query: SelectQuery;
  /** External functions the statement calls (`get_thing_shadow`, …), lower-cased, without duplicates. */
  readonly externals: readonly string[];
}

/**
 * The output key of an unaliased item: a field's or attribute's own name (`a.b` → `b`), a function's
 * name, else `_<position>` (AWS does not document its naming of other expressions).
 */
export function defaultOutputName(expr: Expr, index: number): string {
  switch (expr.kind) {
    case 'field':
    case 'member':
      return expr.name;
    case 'index':
      return defaultOutputName(expr.object, index);
    case 'call':
      return expr.name;
    default:
      return `_${index + 1}`;
  }
}
