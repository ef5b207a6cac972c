/**
 * @module http/hako/query — `POST /hako/query` with `{"sql": …, "format": "json"|"csv"|"table",
 * "maxRows": 1–100000 (default 1000), "timeoutSeconds": 1–300 (default 30)}`: one read-only SQL statement on
 * the warehouse, which can also read the files of bucket folders (`read_parquet('buckets/b/2026/**')`,
 * `read_json('buckets/b/…')`). `hako query` is its client.
 *
 * JSON answers `{"columns": [{"name", "type"}], "rows": [[…]], "rowCount", "truncated"}`; CSV and table
 * answer text, with `x-hako-truncated: true|false` and `x-hako-row-count` headers for all three. Bad SQL, a
 * statement that is not read-only, and a query over its time limit answer 400 InvalidRequestException with
 * DuckDB's message (or the refusal); the process is unaffected.
 *
 * Trust model: SigV4 like every hako API, and any active hako access key may query; hako's keys all carry
 * the operator's rights (there is no IAM). Queries cannot write the warehouse, and read files only under
 * `<data-dir>/buckets` (see `streams/warehouse/warehouse.ts`).
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { DEFAULT_LIMITS, FORMATS, MAX_ROWS, MAX_TIMEOUT_MS, QueryError, renderResult, runQuery, WarehouseClosedError, type QueryFormat, type QueryResult, type Warehouse } from '../../streams/warehouse/index.js';
import { ApiResponse, apiRoute, optionalString, requiredString } from '../aws-api.js';

function bodyInteger(body: Readonly<Record<string, unknown>>, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new AwsError('InvalidRequestException', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

async function query(warehouse: Warehouse, sql: string, maxRows: number, timeoutMs: number): Promise<QueryResult> {
  try {
    return await runQuery(warehouse, sql, { maxRows, timeoutMs });
  } catch (error) {
    if (error instanceof QueryError) throw new AwsError('InvalidRequestException', error.message, { cause: error });
    if (error instanceof WarehouseClosedError) throw new AwsError('ServiceUnavailableException', error.message, { cause: error });
    throw error;
  }
}

export function registerQueryRoute(app: FastifyInstance, warehouse: Warehouse): void {
  apiRoute(app, 'POST', '/hako/query', async ({ body }) => {
    const sql = requiredString(body, 'sql');
    const format = optionalString(body, 'format') ?? 'json';
    if (!(FORMATS as readonly string[]).includes(format)) throw new AwsError('InvalidRequestException', `format must be one of ${FORMATS.join(', ')}`);
    const maxRows = bodyInteger(body, 'maxRows', 1, MAX_ROWS) ?? DEFAULT_LIMITS.maxRows;
    const timeoutSeconds = bodyInteger(body, 'timeoutSeconds', 1, MAX_TIMEOUT_MS / 1000) ?? DEFAULT_LIMITS.timeoutMs / 1000;
    const result = await query(warehouse, sql, maxRows, timeoutSeconds * 1000);
    const rendered = renderResult(result, format as QueryFormat);
    return new ApiResponse(200, Buffer.from(rendered.body), {
      'content-type': rendered.contentType,
      'x-hako-truncated': String(result.truncated),
      'x-hako-row-count': String(result.rows.length),
    });
  });
}
