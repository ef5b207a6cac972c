/**
 * @module test/contract/sink.test — runs the Sink contract against every implementation: the object
 * folder, uncompressed and gzip (read back through gunzip), the warehouse table, and a table of a real
 * PostgreSQL server (one for this file, `test/helpers/postgres.ts`).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { destinationPrefixes } from '../../src/streams/delivery/prefix.js';
import { FolderSink, type Compression } from '../../src/streams/sinks/folder.js';
import { WarehouseSink } from '../../src/streams/sinks/warehouse.js';
import { Warehouse, warehouseTable } from '../../src/streams/warehouse/index.js';
import { STAGING_SETUP } from '../../src/streams/warehouse/loader.js';
import { PostgresTable } from '../../src/streams/warehouse/postgres/table.js';
import { silentLogger } from '../../src/core/logger.js';
import { postgresForFile } from '../helpers/postgres.js';
import { readObjects } from '../streams/delivery/helpers.js';
import { runSinkContract, type SinkHarness } from './sink.contract.js';

const dirs: string[] = [];
const warehouses: Warehouse[] = [];
const postgresTables: PostgresTable[] = [];
after(async () => {
  for (const warehouse of warehouses) await warehouse.close();
  for (const table of postgresTables) await table.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folderHarness(compression: Compression): () => Promise<SinkHarness> {
  return async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-sink-'));
    dirs.push(root);
    const sink = new FolderSink({ root, bucket: 'bucket', compression, prefixes: destinationPrefixes('data/', 'errors/!{firehose:error-output-type}/') });
    const bucket = path.join(root, 'bucket');
    const under = (folder: string): Buffer[] => {
      try {
        return readObjects(path.join(bucket, folder)).map((object) => object.body);
      } catch {
        return []; // nothing delivered there yet
      }
    };
    return {
      sink,
      readData: async () => under('data'),
      readErrors: async () => under('errors'),
      // A file where the bucket folder should be: every mkdir and rename under it fails.
      breakDestination: async () => {
        mkdirSync(bucket, { recursive: true });
        renameSync(bucket, `${bucket}.aside`);
        writeFileSync(bucket, 'not a folder');
      },
      repairDestination: async () => {
        rmSync(bucket);
        renameSync(`${bucket}.aside`, bucket);
      },
    };
  };
}

runSinkContract('folder (uncompressed)', folderHarness('UNCOMPRESSED'));
runSinkContract('folder (gzip)', folderHarness('GZIP'));

/**
 * The warehouse table (inferred columns), its error output a bucket folder. Broken by putting a view where
 * the table goes (a load then fails inside its transaction); read back as its rows in load order.
 */
function warehouseHarness(): () => Promise<SinkHarness> {
  return async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-sink-warehouse-'));
    dirs.push(root);
    const warehouse = new Warehouse({ file: path.join(root, 'warehouse.duckdb'), filesRoot: path.join(root, 'buckets'), logger: silentLogger(), writerSetup: STAGING_SETUP });
    warehouses.push(warehouse);
    const errors = new FolderSink({ root: path.join(root, 'buckets'), bucket: 'bucket', compression: 'UNCOMPRESSED', prefixes: destinationPrefixes('data/', 'errors/!{firehose:error-output-type}/') });
    const sink = new WarehouseSink({ table: warehouseTable(warehouse, { table: { schema: 'main', table: 'contract' } }), errors });
    return {
      sink,
      records: 'json',
      readData: async () => {
        const rows = await warehouse.read(async (connection) => {
          const exists = (await connection.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'contract'")).getRows()[0]?.[0];
          return exists === 0n ? [] : (await connection.runAndReadAll('SELECT * FROM contract ORDER BY rowid')).getRowObjectsJson();
        });
        return rows.length === 0 ? [] : [Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''))];
      },
      readErrors: async () => readObjects(path.join(root, 'buckets', 'bucket', 'errors')).map((object) => object.body),
      breakDestination: () => warehouse.write(async (connection) => void (await connection.run("CREATE VIEW contract AS SELECT 'blocked' AS v"))),
      repairDestination: () => warehouse.write(async (connection) => void (await connection.run('DROP VIEW contract'))),
    };
  };
}

runSinkContract('warehouse (inferred columns)', warehouseHarness());

const postgres = postgresForFile(async (started) => {
  await started.query("CREATE ROLE loader LOGIN PASSWORD 'loader-pw'");
  await started.query('CREATE DATABASE lake OWNER loader');
});
let postgresTableCount = 0;

/**
 * A table of a PostgreSQL server (inferred columns), its error output a bucket folder. Broken, as the warehouse
 * is, by a view where the table goes; read back in load order (each batch is one transaction: by its xmin, then
 * by position).
 */
function postgresHarness(): () => Promise<SinkHarness> {
  return async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-sink-postgres-'));
    dirs.push(root);
    const name = `contract_${++postgresTableCount}`;
    const table = new PostgresTable({ address: { host: '127.0.0.1', port: postgres().port, database: 'lake' }, user: 'loader', password: 'loader-pw', target: { table: { schema: 'public', table: name } }, logger: silentLogger() });
    postgresTables.push(table);
    const errors = new FolderSink({ root: path.join(root, 'buckets'), bucket: 'bucket', compression: 'UNCOMPRESSED', prefixes: destinationPrefixes('data/', 'errors/!{firehose:error-output-type}/') });
    const query = (sql: string): Promise<Array<Record<string, unknown>>> => postgres().query(sql, [], 'lake');
    return {
      sink: new WarehouseSink({ table, errors }),
      records: 'json',
      holdsNul: false,
      readData: async () => {
        const [found] = await query(`SELECT to_regclass('public.${name}') IS NOT NULL AS exists`);
        if (found?.exists !== true) return [];
        const rows = await query(`SELECT * FROM public.${name} ORDER BY xmin::text::bigint, ctid`);
        return rows.length === 0 ? [] : [Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''))];
      },
      readErrors: async () => readObjects(path.join(root, 'buckets', 'bucket', 'errors')).map((object) => object.body),
      breakDestination: async () => void (await query(`CREATE VIEW public.${name} AS SELECT 'blocked'::text AS v`)),
      repairDestination: async () => void (await query(`DROP VIEW public.${name}`)),
    };
  };
}

runSinkContract('PostgreSQL table (inferred columns)', postgresHarness());
