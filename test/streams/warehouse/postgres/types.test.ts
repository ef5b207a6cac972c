/**
 * @module test/streams/warehouse/postgres/types.test — DataTableColumns' DuckDB-style types as PostgreSQL
 * types, and the ones refused with what to declare instead (table-driven); the inferred types; the shapes
 * of `jdbc:postgresql:` URLs accepted and refused. No server: all of this is checked at creation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferType, parseColumns, SchemaError } from '../../../../src/streams/warehouse/schema.js';
import { postgresColumns, postgresType } from '../../../../src/streams/warehouse/postgres/types.js';
import { parsePostgresUrl, PostgresUrlError, type PostgresAddress } from '../../../../src/streams/warehouse/postgres/url.js';

const MAPPED: Array<[string, string]> = [
  ['BOOLEAN', 'boolean'],
  ['bool', 'boolean'],
  ['TINYINT', 'smallint'],
  ['SMALLINT', 'smallint'],
  ['INTEGER', 'integer'],
  ['int', 'integer'],
  ['INT4', 'integer'],
  ['BIGINT', 'bigint'],
  ['int8', 'bigint'],
  ['HUGEINT', 'numeric(39,0)'],
  ['FLOAT', 'real'],
  ['REAL', 'real'],
  ['DOUBLE', 'double precision'],
  ['double  precision', 'double precision'],
  ['DECIMAL', 'numeric'],
  ['DECIMAL(10,2)', 'numeric(10,2)'],
  ['numeric( 12 )', 'numeric(12,0)'],
  ['VARCHAR', 'text'],
  ['VARCHAR(20)', 'varchar(20)'],
  ['character varying(5)', 'varchar(5)'],
  ['TEXT', 'text'],
  ['STRING', 'text'],
  ['CHAR(3)', 'char(3)'],
  ['UUID', 'uuid'],
  ['BLOB', 'bytea'],
  ['DATE', 'date'],
  ['TIME', 'time'],
  ['TIMETZ', 'timetz'],
  ['TIMESTAMP', 'timestamp'],
  ['DATETIME', 'timestamp'],
  ['TIMESTAMP_MS', 'timestamp(3)'],
  ['TIMESTAMP_S', 'timestamp(0)'],
  ['TIMESTAMP(3)', 'timestamp(3)'],
  ['TIMESTAMPTZ', 'timestamptz'],
  ['timestamp with time zone', 'timestamptz'],
  ['INTERVAL', 'interval'],
  ['JSON', 'jsonb'],
  ['JSONB', 'jsonb'],
  ['BIGINT[]', 'bigint[]'],
  ['VARCHAR[]', 'text[]'],
  ['INTEGER[3]', 'integer[]'],
  ['DECIMAL(10,2)[]', 'numeric(10,2)[]'],
];

const REFUSED: Array<[string, RegExp]> = [
  ['UTINYINT', /PostgreSQL has no unsigned integers: declare SMALLINT$/],
  ['USMALLINT', /declare INTEGER$/],
  ['UINTEGER', /declare BIGINT$/],
  ['UBIGINT', /declare DECIMAL\(20,0\)$/],
  ['UHUGEINT', /declare DECIMAL\(39,0\)$/],
  ['UBIGINT[]', /no unsigned integers/],
  ['TIMESTAMP_NS', /hold microseconds: declare TIMESTAMP$/],
  ['STRUCT(a INTEGER)', /no STRUCT columns: declare JSON \(a jsonb column\)$/],
  ['MAP(VARCHAR, INTEGER)', /no MAP columns/],
  ['UNION(a INTEGER, b VARCHAR)', /no UNION columns/],
  ['BIT', /declare VARCHAR$/],
  ['DECIMAL(0,0)', /the precision must be 1 to 1000$/],
  ['DECIMAL(5,6)', /the scale must be 0 to the precision$/],
  ['VARCHAR(0)', /the length must be 1 to 10485760$/],
  ['TIMESTAMP(9)', /the precision \(fractional digits of a second\) must be 0 to 6$/],
  ['VARCHAR(2,1)', /VARCHAR takes one parameter$/],
  ['BIGNUMBER', /is not a type hako can load into PostgreSQL \(for example BIGINT/],
  ['GEOMETRY', /is not a type hako can load into PostgreSQL/],
];

test('postgresType: DuckDB-style (and PostgreSQL) type names map to PostgreSQL types', () => {
  for (const [declared, expected] of MAPPED) assert.equal(postgresType(declared), expected, declared);
});

test('postgresType: types PostgreSQL cannot take are refused, saying what to declare', () => {
  for (const [declared, message] of REFUSED) {
    assert.throws(() => postgresType(declared), (error: Error) => {
      assert.ok(error instanceof SchemaError, declared);
      assert.ok(error.message.startsWith(`the type '${declared}' `), error.message);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('postgresType: the inferred types (schema.inferType) map to bigint, double precision, boolean, text, jsonb', () => {
  const cases: Array<[string[], string]> = [
    [['BIGINT'], 'bigint'],
    [['BIGINT', 'DOUBLE'], 'double precision'],
    [['BOOLEAN'], 'boolean'],
    [['VARCHAR'], 'text'],
    [['OBJECT'], 'jsonb'],
    [['BIGINT', 'VARCHAR'], 'jsonb'],
  ];
  for (const [jsonTypes, expected] of cases) assert.equal(postgresType(inferType(jsonTypes) as string), expected, jsonTypes.join(','));
});

test('postgresColumns: maps declared types, keeps untyped columns, names the column it refuses', () => {
  assert.deepEqual(postgresColumns(parseColumns('id BIGINT, at TIMESTAMP, note')), [
    { name: 'id', type: 'bigint' },
    { name: 'at', type: 'timestamp' },
    { name: 'note', type: undefined },
  ]);
  assert.throws(() => postgresColumns(parseColumns('id UBIGINT')), (error: Error) => error instanceof SchemaError && /^the type 'UBIGINT' of column id cannot be a PostgreSQL column: PostgreSQL has no unsigned integers/.test(error.message));
});

test('parsePostgresUrl: jdbc:postgresql://host[:port]/database[?sslmode=…]', () => {
  const accepted: Array<[string, PostgresAddress]> = [
    ['jdbc:postgresql://db.example.com:6543/analytics', { host: 'db.example.com', port: 6543, database: 'analytics' }],
    ['jdbc:postgresql://localhost/hako', { host: 'localhost', port: 5432, database: 'hako' }],
    ['jdbc:postgresql://10.0.0.5:5432/my%20db', { host: '10.0.0.5', port: 5432, database: 'my db' }],
    ['jdbc:postgresql://[::1]:5433/hako', { host: '::1', port: 5433, database: 'hako' }],
    ['JDBC:PostgreSQL://h/d', { host: 'h', port: 5432, database: 'd' }],
    ['jdbc:postgresql://h/d?sslmode=disable', { host: 'h', port: 5432, database: 'd' }],
    ['jdbc:postgresql://h/d?ssl=false', { host: 'h', port: 5432, database: 'd' }],
    ['jdbc:postgresql://h/d?sslmode=require', { host: 'h', port: 5432, database: 'd', tls: { verify: 'none' } }],
    ['jdbc:postgresql://h/d?sslmode=verify-ca&sslrootcert=/etc/ssl/pg/root.crt', { host: 'h', port: 5432, database: 'd', tls: { verify: 'chain', rootCertPath: '/etc/ssl/pg/root.crt' } }],
    ['jdbc:postgresql://h/d?sslmode=verify-full', { host: 'h', port: 5432, database: 'd', tls: { verify: 'chain-and-name' } }],
    // pgjdbc: ssl=true alone is verify-full; sslmode wins over ssl.
    ['jdbc:postgresql://h/d?ssl=true&sslrootcert=%2Froots%20here.pem', { host: 'h', port: 5432, database: 'd', tls: { verify: 'chain-and-name', rootCertPath: '/roots here.pem' } }],
    ['jdbc:postgresql://h/d?ssl=true&sslmode=require', { host: 'h', port: 5432, database: 'd', tls: { verify: 'none' } }],
  ];
  for (const [url, address] of accepted) assert.deepEqual(parsePostgresUrl(url), address, url);
  const refused: Array<[string, RegExp]> = [
    ['jdbc:postgresql:hako', /the server is missing/],
    ['jdbc:postgresql://localhost', /the database is missing/],
    ['jdbc:postgresql://localhost:5432/', /the database is missing/],
    ['jdbc:postgresql://:5432/db', /the host is missing/],
    ['jdbc:postgresql://localhost:0/db', /the port '0' is not 1 to 65535/],
    ['jdbc:postgresql://localhost:99999/db', /the port '99999' is not 1 to 65535/],
    ['jdbc:postgresql://localhost:http/db', /the port 'http' is not 1 to 65535/],
    ['jdbc:postgresql://user:secret@localhost/db', /the user goes in Username and the password in Password/],
    ['jdbc:postgresql://a,b/db', /one server only/],
    ['jdbc:postgresql://localhost/db?user=me', /the property 'user' is not supported \(only ssl, sslmode and sslrootcert/],
    ['jdbc:postgresql://localhost/db?sslmode=prefer', /sslmode=prefer would fall back to plain text; say require, verify-ca or verify-full \(or disable\)/],
    ['jdbc:postgresql://localhost/db?sslmode=allow', /sslmode=allow would fall back to plain text/],
    ['jdbc:postgresql://localhost/db?sslmode=strict', /sslmode must be disable, require, verify-ca or verify-full, not 'strict'/],
    ['jdbc:postgresql://localhost/db?sslmode=toString', /sslmode must be disable, require, verify-ca or verify-full, not 'toString'/],
    ['jdbc:postgresql://localhost/db?ssl=yes', /ssl must be true or false, not 'yes'/],
    ['jdbc:postgresql://localhost/db?sslmode=require&sslmode=disable', /the property 'sslmode' is given more than once/],
    ['jdbc:postgresql://localhost/db?sslmode=require&sslrootcert=/r.pem', /sslrootcert is read only with sslmode=verify-ca or verify-full/],
    ['jdbc:postgresql://localhost/db?sslmode=verify-ca&sslrootcert=r.pem', /sslrootcert must be an absolute path, not 'r\.pem'/],
    ['jdbc:postgresql://localhost/?sslmode=require', /the database is missing/],
    ['jdbc:postgresql://localhost/db/extra', /'db\/extra' is not a database name/],
    ['jdbc:postgresql://bad_host!/db', /'bad_host!' is not a host name or address/],
  ];
  for (const [url, message] of refused) {
    assert.throws(() => parsePostgresUrl(url), (error: Error) => {
      assert.ok(error instanceof PostgresUrlError, url);
      assert.ok(error.message.startsWith(`ClusterJDBCURL ${url} is not a PostgreSQL URL hako can load (jdbc:postgresql://host[:port]/database[?sslmode=…]): `), error.message);
      assert.match(error.message, message);
      return true;
    });
  }
});
