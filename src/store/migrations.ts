/**
 * @module store/migrations — the SQLite schema, as an ordered list of migrations.
 *
 * `openSqlite` applies every migration whose version is above the database's `PRAGMA user_version`.
 * To change the schema, append a migration with the next version; never edit or reorder one that has
 * shipped, because databases in the field have already run it. Each area prefixes its tables
 * (`mqtt_`, later `registry_`, `shadow_`, …) so one file can hold all of hako's state.
 */

export interface Migration {
  /** 1, 2, 3, … with no gaps; becomes `PRAGMA user_version` once applied. */
  readonly version: number;
  /** What the migration is for, shown in errors. */
  readonly name: string;
  /** One or more statements, run with `db.exec` inside the migration transaction. */
  readonly sql: string;
}

// Message columns (topic … origin) are shared by mqtt_outbound and mqtt_retained and mapped by
// `store/message-columns.ts`. STRICT makes SQLite refuse a value of the wrong type (say a fractional
// qos) instead of storing it quietly. mqtt_outbound keeps rowids because payloads can be large, which
// WITHOUT ROWID tables handle badly; the small tables use WITHOUT ROWID to avoid a second b-tree.
// There are no foreign keys to mqtt_sessions: the store journals whatever ops the broker sends, in order,
// and `session.delete` removes a client's rows explicitly, so memory and SQLite behave the same.
const mqttSessions = `
CREATE TABLE mqtt_sessions (
  client_id        TEXT    NOT NULL PRIMARY KEY,
  protocol_version INTEGER NOT NULL,
  expiry_interval  INTEGER NOT NULL,
  disconnected_at  INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE mqtt_subscriptions (
  client_id           TEXT    NOT NULL,
  filter              TEXT    NOT NULL,
  qos                 INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
  no_local            INTEGER NOT NULL CHECK (no_local IN (0, 1)),
  retain_as_published INTEGER NOT NULL CHECK (retain_as_published IN (0, 1)),
  retain_handling     INTEGER NOT NULL CHECK (retain_handling IN (0, 1, 2)),
  subscription_id     INTEGER,
  PRIMARY KEY (client_id, filter)
) STRICT, WITHOUT ROWID;

CREATE TABLE mqtt_outbound (
  client_id        TEXT    NOT NULL,
  seq              INTEGER NOT NULL,
  topic            TEXT    NOT NULL,
  payload          BLOB    NOT NULL,
  qos              INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
  retain           INTEGER NOT NULL CHECK (retain IN (0, 1)),
  properties       TEXT,
  expires_at       INTEGER,
  origin           TEXT,
  delivery_qos     INTEGER NOT NULL CHECK (delivery_qos IN (0, 1, 2)),
  delivery_retain  INTEGER NOT NULL CHECK (delivery_retain IN (0, 1)),
  packet_id        INTEGER,
  state            TEXT    NOT NULL CHECK (state IN ('queued', 'sent', 'released')),
  subscription_ids TEXT,
  PRIMARY KEY (client_id, seq)
) STRICT;

CREATE TABLE mqtt_inbound (
  client_id TEXT    NOT NULL,
  packet_id INTEGER NOT NULL,
  PRIMARY KEY (client_id, packet_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE mqtt_retained (
  topic      TEXT    NOT NULL PRIMARY KEY,
  payload    BLOB    NOT NULL,
  qos        INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
  retain     INTEGER NOT NULL CHECK (retain IN (0, 1)),
  properties TEXT,
  expires_at INTEGER,
  origin     TEXT
) STRICT;
`;

// Identity and registry state: small, read whole at start and written one record at a time
// (`store/records.ts`), so one generic table serves every collection.
const records = `
CREATE TABLE records (
  collection TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (collection, key)
) STRICT, WITHOUT ROWID;
`;

// The principal of a persistent session's last connection (kind 'certificate' or 'access-key', and its
// id), so that after a restart the session is held to that principal's policies.
const sessionPeer = `
ALTER TABLE mqtt_sessions ADD COLUMN peer_kind TEXT CHECK (peer_kind IN ('certificate', 'access-key'));
ALTER TABLE mqtt_sessions ADD COLUMN peer_id TEXT;
`;

// Kinesis-like stream records (`streams/sqlite-stream-store.ts`): one row per record, keyed by stream,
// shard index and the per-shard sequence counter, so reads, retention trimming and the counter's
// re-derivation at start are all range scans of the primary key. Rowids are kept because records can
// be up to 1 MiB, which WITHOUT ROWID tables handle badly. Stream metadata lives in `records`.
const streamRecords = `
CREATE TABLE stream_records (
  stream        TEXT    NOT NULL,
  shard         INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  arrival_ms    INTEGER NOT NULL,
  partition_key TEXT    NOT NULL,
  data          BLOB    NOT NULL,
  PRIMARY KEY (stream, shard, seq)
) STRICT;
`;

// Firehose-like delivery buffers (`streams/delivery/sqlite-buffer-store.ts`): one row per PutRecord or
// PutRecordBatch call (its records back to back in `data`, their lengths as little-endian uint32s in
// `lengths`), deleted once delivered. Rows are what a crash must not lose between the call's answer and
// the object's write. Delivery stream configurations live in `records`. hako now buffers in segment files
// (`streams/delivery/segment-buffer-store.ts`) and moves rows found here into them at start; the table
// stays so that a database an older hako wrote can be read.
const deliveryBuffer = `
CREATE TABLE delivery_buffer (
  stream     TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  arrival_ms INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  lengths    BLOB    NOT NULL,
  data       BLOB    NOT NULL,
  PRIMARY KEY (stream, seq)
) STRICT;
`;

/** Every migration hako knows, in version order. Append only. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'mqtt sessions and retained messages', sql: mqttSessions },
  { version: 2, name: 'identity and registry records', sql: records },
  { version: 3, name: 'the principal of a persistent session', sql: sessionPeer },
  { version: 4, name: 'stream records', sql: streamRecords },
  { version: 5, name: 'delivery stream buffers', sql: deliveryBuffer },
];
