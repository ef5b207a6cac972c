/**
 * @module streams/warehouse/postgres/table — a PostgreSQL server's table as a warehouse destination
 * (`TableLoader`): a small `pg.Pool` per delivery stream, opened lazily (nothing connects before the first
 * delivery) and ended when the stream is deleted or hako stops. Each batch loads on a connection of its own
 * (`loader.ts`); a connection whose load failed is closed rather than reused.
 *
 * A failed load (the server down, a wrong password, missing privileges) is thrown with what PostgreSQL said
 * and where (user, server, database, table, SQLSTATE), for the delivery worker to log once and retry for
 * the stream's `RetryOptions.DurationInSeconds`. A record the table refuses is that record's failure
 * (`loader.ts` finds it with savepoints), never the batch's: `refusesBatch` is always false.
 *
 * With TLS (`sslmode` in the URL, `url.ts`) every connection is encrypted, and the server's certificate checked as
 * the mode says; a certificate that fails the check fails the connection like a wrong password.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from '../../../core/logger.js';
import type { JsonDocuments } from '../json-records.js';
import type { BeforeCommit, LoadResult, LoadTarget } from '../loader.js';
import { displayName } from '../schema.js';
import type { TableLoader } from '../table-loader.js';
import { loadIntoPostgres } from './loader.js';
import type { PostgresAddress, PostgresTls } from './url.js';

export interface PostgresTableOptions {
  readonly address: PostgresAddress;
  readonly user: string;
  readonly password?: string | undefined;
  readonly target: LoadTarget;
  readonly logger: Logger;
}

/**
 * A load that failed, saying where and what PostgreSQL said (its SQLSTATE also in `sqlstate`). No `cause`:
 * the log's error serializer would append the cause's message, which this one already holds.
 */
export class PostgresDestinationError extends Error {
  override readonly name = 'PostgresDestinationError';
  readonly sqlstate: string | undefined;
  /** Firehose's error code for it, as its Redshift destination names such failures. */
  readonly errorCode: 'Redshift.AuthenticationFailed' | 'Redshift.ConnectionFailed' | 'Redshift.DataLoadFailed';

  constructor(message: string, sqlstate: string | undefined, connecting: boolean) {
    super(message);
    this.sqlstate = sqlstate;
    // SQLSTATE class 28 is "invalid authorization specification"; class 08 "connection exception".
    this.errorCode = sqlstate?.startsWith('28') ? 'Redshift.AuthenticationFailed' : connecting || sqlstate?.startsWith('08') ? 'Redshift.ConnectionFailed' : 'Redshift.DataLoadFailed';
  }
}

/** One delivery at a time per stream needs one connection; the second covers a load racing the pool's idle close. */
const POOL_SIZE = 2;
const CONNECT_TIMEOUT_MS = 15_000;
const IDLE_MS = 30_000;
const CONNECTING = 'cannot connect to';

/** Errors PostgreSQL sent (pg's DatabaseError carries a SQLSTATE and a severity). */
function isServerError(error: unknown): error is Error & { code: string; detail?: string; severity?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error as { severity?: unknown }).severity !== undefined;
}

export class PostgresTable implements TableLoader {
  readonly location: string;
  readonly #options: PostgresTableOptions;
  readonly #server: string;
  #pool: pg.Pool | undefined;
  #closed = false;

  constructor(options: PostgresTableOptions) {
    this.#options = options;
    const { address, user, target } = options;
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    this.#server = `${user}@${host}:${address.port}/${address.database}`;
    this.location = `postgresql://${host}:${address.port}/${address.database}#${displayName(target.table)}`;
  }

  async load(documents: JsonDocuments, beforeCommit: BeforeCommit): Promise<LoadResult> {
    if (this.#closed) throw new Error(`the PostgreSQL destination ${this.location} is closed (its stream was deleted, or hako is stopping)`);
    let client: pg.PoolClient;
    try {
      client = await this.#open().connect();
    } catch (error) {
      throw this.#explain(error, CONNECTING);
    }
    let failed: Error | undefined;
    let sinkFailure: unknown;
    const hook: BeforeCommit = async (rejected) => {
      try {
        await beforeCommit(rejected);
      } catch (error) {
        sinkFailure = error;
        throw error;
      }
    };
    try {
      return await loadIntoPostgres(client, this.#options.target, documents, hook);
    } catch (error) {
      failed = error instanceof Error ? error : new Error(String(error));
      // The sink's own failure (the error output) passes as it is; the rest says where it happened.
      throw error === sinkFailure ? error : this.#explain(error, 'loading into');
    } finally {
      client.release(failed);
    }
  }

  refusesBatch(): boolean {
    return false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  #open(): pg.Pool {
    if (this.#pool !== undefined) return this.#pool;
    const { address, user, password, logger } = this.#options;
    const pool = new pg.Pool({
      host: address.host,
      port: address.port,
      database: address.database,
      user,
      password,
      max: POOL_SIZE,
      idleTimeoutMillis: IDLE_MS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'hako',
      ...(address.tls === undefined ? {} : { ssl: tlsOptions(address.host, address.tls) }),
    });
    // An idle connection the server closed (a restart): the next load connects again, and says so if it cannot.
    pool.on('error', (error) => logger.debug({ err: error, server: this.#server }, `an idle PostgreSQL connection to ${this.#server} closed: ${error.message}`));
    this.#pool = pool;
    return pool;
  }

  #explain(error: unknown, doing: string): PostgresDestinationError {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    const detail = isServerError(error) && error.detail !== undefined ? ` (${error.detail})` : '';
    const sqlstate = isServerError(error) ? ` [SQLSTATE ${error.code}]` : typeof code === 'string' && !message.includes(code) ? ` [${code}]` : '';
    return new PostgresDestinationError(`${doing} PostgreSQL ${this.#server} (table ${displayName(this.#options.target.table)}): ${message}${detail}${sqlstate}`, isServerError(error) ? error.code : undefined, doing === CONNECTING);
  }
}

/** Node's TLS options for a connection to `host` as `tls` asks; reads the roots file, which may throw (ENOENT…). */
function tlsOptions(host: string, tls: PostgresTls): ConnectionOptions {
  if (tls.verify === 'none') return { rejectUnauthorized: false };
  let ca: string | undefined;
  if (tls.rootCertPath !== undefined) {
    try {
      ca = readFileSync(tls.rootCertPath, 'utf8');
    } catch (error) {
      throw new Error(`cannot read sslrootcert ${tls.rootCertPath}: ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    rejectUnauthorized: true,
    ...(ca === undefined ? {} : { ca }),
    // The name checked is the one connected to (an address too); SNI carries names only.
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(tls.verify === 'chain' ? { checkServerIdentity: () => undefined } : {}),
  };
}
