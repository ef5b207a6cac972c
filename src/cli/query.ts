/**
 * @module cli/query — `hako query "SELECT …" [--format table|csv|json]`: read-only SQL on hako's warehouse
 * (and the files of bucket folders), through `POST /hako/query`. The server renders every format; this
 * prints what it answers (JSON indented), and says on stderr when rows were left out.
 */
import { Option, type Command } from 'commander';
import { addConnectionOptions, CliError, withConnection, type ConnectionFlags } from './client.js';
import { wholeNumberFlag } from './flags.js';

interface QueryFlags extends ConnectionFlags {
  format?: 'table' | 'csv' | 'json';
  maxRows?: string;
  timeout?: string;
}

const SQL_HINT =
  "the warehouse answers one read-only DuckDB statement (SELECT, WITH, DESCRIBE, SHOW TABLES, EXPLAIN); bucket files are read with read_parquet('buckets/<bucket>/…') or read_json('buckets/<bucket>/…')";

const TIMEOUT_HINT = 'narrow the query (WHERE, LIMIT, fewer files) or give it longer with --timeout (at most 300 seconds)';

export function registerQueryCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('query')
      .description("run read-only SQL on hako's warehouse (DuckDB) and on bucket files")
      .argument('<sql>', 'one SQL statement, e.g. "SELECT count(*) FROM events"')
      .addOption(new Option('--format <format>', 'output format (--json means json)').choices(['table', 'csv', 'json']).default('table'))
      .option('--max-rows <n>', 'rows to return at most (default 1000, at most 100000)')
      .option('--timeout <seconds>', 'interrupt the query after this long (default 30, at most 300)'),
  ).action((sql: string, flags: QueryFlags) =>
    withConnection('query', flags, async (c) => {
      const format = flags.json === true ? 'json' : (flags.format ?? 'table');
      const maxRows = wholeNumberFlag('query', '--max-rows', flags.maxRows, { min: 1, hint: 'pass e.g. --max-rows 100' });
      const timeoutSeconds = wholeNumberFlag('query', '--timeout', flags.timeout, { min: 1, hint: 'pass e.g. --timeout 100' });
      let answer: { text: string; headers: Headers };
      try {
        answer = await c.hakoApiText('Query', 'POST', '/hako/query', { sql, format, ...(maxRows === undefined ? {} : { maxRows }), ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) });
      } catch (error) {
        if (!(error instanceof CliError) || error.hint !== undefined || !error.message.includes('InvalidRequestException')) throw error;
        // Bad SQL, a refused statement or a time-out: DuckDB's whole message (its "Did you mean", its
        // LINE/caret lines) says what is wrong, and the hint what the endpoint takes.
        const more = ((error.cause as Error | undefined)?.message ?? '').split('\n').slice(1).filter((line) => line.trim() !== '');
        const message = [error.message, ...more.map((line) => `  ${line}`)].join('\n');
        throw new CliError(message, error.message.includes('time limit') ? TIMEOUT_HINT : SQL_HINT, { cause: error });
      }
      const { text, headers } = answer;
      // JSON indented for people; CSV and tables exactly as the server rendered them.
      const out = format === 'json' ? JSON.stringify(JSON.parse(text), null, 2) : text.replace(/\n$/, '');
      process.stdout.write(`${out}\n`);
      // The table says so in its last line; JSON in `truncated`; CSV has no place for it but stderr.
      if (format === 'csv' && headers.get('x-hako-truncated') === 'true') {
        process.stderr.write(`hako: query: only the first ${headers.get('x-hako-row-count')} rows were returned; pass --max-rows to get more\n`);
      }
    }),
  );
}
