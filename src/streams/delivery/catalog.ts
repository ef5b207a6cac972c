/**
 * @module streams/delivery/catalog — the local stand-in for the Glue Data Catalog that Firehose's format
 * conversion reads its schema from. hako has no Glue: a table is a file,
 * `<catalog root>/<DatabaseName>/<TableName>.json` (`<data-dir>/catalog` by default), holding the
 * table's columns in Glue's shape — `{"Columns": [{"Name": "id", "Type": "bigint"}, …]}`, or what
 * `aws glue get-table` prints (`{"Table": {"StorageDescriptor": {"Columns": …}}}`), or the
 * `StorageDescriptor` alone. Column names are lower-cased, as Glue keeps them.
 *
 * No file: the stream converts with a schema DuckDB infers from each batch. The file is read when a batch
 * is delivered (re-read when it changes), so declaring a table takes effect without a restart; a file that
 * cannot be read as a table fails the batch (it is retried, and the log says why) rather than guessing.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Column } from './conversion.js';
import { parseHiveType } from './hive-types.js';

interface Cached {
  readonly mtimeMs: number;
  readonly columns: readonly Column[];
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

export class TableCatalog {
  readonly #root: string;
  readonly #cache = new Map<string, Cached>();

  constructor(root: string) {
    this.#root = root;
  }

  fileOf(database: string, table: string): string {
    // Names become path segments: anything that could leave the catalog folder has no file.
    if (!SAFE_NAME.test(database) || !SAFE_NAME.test(table) || database.startsWith('.') || table.startsWith('.')) return path.join(this.#root, '.invalid-name');
    return path.join(this.#root, database, `${table}.json`);
  }

  /** The declared columns, or undefined when the table has no file (infer the schema). */
  async columnsOf(database: string, table: string): Promise<readonly Column[] | undefined> {
    const file = this.fileOf(database, table);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return undefined;
    const cached = this.#cache.get(file);
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs) return cached.columns;
    const columns = parseTable(await readFile(file, 'utf8'), file);
    this.#cache.set(file, { mtimeMs: info.mtimeMs, columns });
    return columns;
  }
}

/** A table file's columns; throws with the file named when it is not one. */
export function parseTable(text: string, file: string): Column[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`table file ${file} is not JSON: ${(error as Error).message}`);
  }
  const root = document as { Columns?: unknown; StorageDescriptor?: { Columns?: unknown }; Table?: { StorageDescriptor?: { Columns?: unknown } } } | null;
  const list = root?.Columns ?? root?.StorageDescriptor?.Columns ?? root?.Table?.StorageDescriptor?.Columns;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`table file ${file} has no Columns list`);
  return list.map((entry: unknown, i) => {
    const { Name, Type } = (entry ?? {}) as { Name?: unknown; Type?: unknown };
    if (typeof Name !== 'string' || Name === '' || typeof Type !== 'string') throw new Error(`table file ${file}: column ${i + 1} needs a Name and a Type`);
    try {
      return { name: Name.toLowerCase(), type: parseHiveType(Type) };
    } catch (error) {
      throw new Error(`table file ${file}: column '${Name}': ${(error as Error).message}`);
    }
  });
}
