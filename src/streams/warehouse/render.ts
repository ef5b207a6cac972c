/**
 * @module streams/warehouse/render — a query result as the query API answers it: JSON (`columns` with
 * names and DuckDB types, `rows` as arrays in column order, `rowCount`, `truncated`), CSV (RFC 4180, a
 * header line; NULL is an empty field, the empty string is `""`), or a text table for people (NULL shown
 * as `NULL`). Values are the lossless JSON of `query.ts`; lists and structs appear in CSV and tables as
 * their JSON text.
 */
import type { Json } from '@duckdb/node-api';
import type { QueryResult } from './query.js';

export const FORMATS = ['json', 'csv', 'table'] as const;
export type QueryFormat = (typeof FORMATS)[number];

export function resultJson(result: QueryResult): Record<string, unknown> {
  return { columns: result.columns, rows: result.rows, rowCount: result.rows.length, truncated: result.truncated };
}

function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function csvField(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  const cell = text(value);
  return cell === '' || /[",\r\n]/.test(cell) || cell.trim() !== cell ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function resultCsv(result: QueryResult): string {
  const lines = [result.columns.map((column) => csvField(column.name)), ...result.rows.map((row) => result.columns.map((_, i) => csvField(row[i])))];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}

/** Control characters would break the table's lines; shown escaped instead. */
function tableCell(value: Json | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  return text(value).replace(/[\u0000-\u001f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export function resultTable(result: QueryResult): string {
  const headers = result.columns.map((column) => column.name);
  const cells = result.rows.map((row) => headers.map((_, i) => tableCell(row[i])));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: readonly string[]): string => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? `; more were left out: raise maxRows or narrow the query` : ''})`;
  return [line(headers), rule, ...cells.map(line), count].join('\n') + '\n';
}

export function renderResult(result: QueryResult, format: QueryFormat): { contentType: string; body: string } {
  switch (format) {
    case 'json':
      return { contentType: 'application/json', body: JSON.stringify(resultJson(result)) };
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', body: resultCsv(result) };
    case 'table':
      return { contentType: 'text/plain; charset=utf-8', body: resultTable(result) };
  }
}
