/**
 * @module rules/sql/errors — the error every rejected IoT SQL statement or substitution template raises,
 * carrying the 1-based line and column of the offending token so an API can point at it.
 */

export type SqlErrorReason =
  | 'syntax' // the text does not follow the grammar
  | 'version' // a construct needs a later `awsIotSqlVersion`
  | 'unknown-function' // a call to a function the dialect does not define
  | 'topic-filter'; // the FROM clause is not a valid MQTT topic filter

export class SqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  /** What the parser wanted at this point (e.g. `FROM`, `expression`), when the reason is `syntax`. */
  readonly expected: string | undefined;
  /** The text found instead (`'WHERE'`, `end of input`). */
  readonly found: string | undefined;
  readonly reason: SqlErrorReason;

  constructor(
    message: string,
    details: { line: number; column: number; expected?: string; found?: string; reason?: SqlErrorReason },
  ) {
    super(`${message} at line ${details.line}, column ${details.column}`);
    this.name = 'SqlSyntaxError';
    this.line = details.line;
    this.column = details.column;
    this.expected = details.expected;
    this.found = details.found;
    this.reason = details.reason ?? 'syntax';
  }
}
