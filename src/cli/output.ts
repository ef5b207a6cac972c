/**
 * @module cli/output — how client commands print: human-readable text by default, one JSON document with
 * `--json` (for scripts: `hako certs list --json | jq …`).
 */

/** Prints `data` as JSON when `json` is set, else the human text (lines joined with newlines). */
export function emit(json: boolean | undefined, data: unknown, human: () => string | string[]): void {
  if (json === true) {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  const text = human();
  const lines = Array.isArray(text) ? text : [text];
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** An SDK response without its `$metadata`, for `--json`. */
export function withoutMetadata<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = output as T & { $metadata?: unknown };
  return rest;
}

/** Columns padded to their widest cell; `empty` when there are no rows. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, empty: string): string[] {
  if (rows.length === 0) return [empty];
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** A date from the SDK (a `Date`) or hako's API (epoch seconds) as ISO 8601 without milliseconds. */
export function formatDate(value: Date | number | undefined): string {
  if (value === undefined) return '-';
  const date = typeof value === 'number' ? new Date(value * 1000) : value;
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}
