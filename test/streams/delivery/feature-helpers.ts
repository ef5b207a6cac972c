/**
 * @module test/streams/delivery/feature-helpers — what the Firehose feature tests share: hako functions
 * created through the real `@aws-sdk/client-lambda` (a zip, as users upload them), the Lambda processor's
 * parameters, error output lines read back as JSON, and Parquet files read back with DuckDB.
 */
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ProcessorParameter } from '@aws-sdk/client-firehose';
import { lambdaClient, ROLE, zipOf } from '../../helpers/lambda.js';
import type { FirehoseHako } from './helpers.js';

export const FUNCTION_ARN = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** Creates a Node.js function whose `index.mjs` is `source` (exporting `handler`). */
export async function createFunction(h: FirehoseHako, name: string, source: string, extra: { Timeout?: number } = {}): Promise<void> {
  const client = lambdaClient({ dataDir: h.dataDir, ports: h.hako.ports });
  try {
    await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': source }) }, ...extra }));
  } finally {
    client.destroy();
  }
}

export const parameters = (values: Record<string, string>): ProcessorParameter[] => Object.entries(values).map(([ParameterName, ParameterValue]) => ({ ParameterName: ParameterName as ProcessorParameter['ParameterName'], ParameterValue }));

/** The JSON lines of an error output object. */
export const errorLines = (body: Buffer): Array<Record<string, unknown>> => body.toString('utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

/** Every row of a Parquet file (values as DuckDB's JSON form: big integers as strings) and its schema. */
export async function readParquet(file: string): Promise<{ rows: Array<Record<string, unknown>>; columns: string[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const quoted = `'${file.replace(/'/g, "''")}'`;
    const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJson() as Array<Record<string, unknown>>;
    const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJson().map((row) => `${String(row.column_name)} ${String(row.column_type)}`);
    return { rows, columns };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
