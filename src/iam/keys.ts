/**
 * @module iam/keys — access keys for hako's HTTP APIs (SigV4), and the root key made at first start.
 *
 * The root key is written once to `<data-dir>/credentials` in the AWS shared-credentials format, mode
 * 0600, so `AWS_SHARED_CREDENTIALS_FILE=<data-dir>/credentials` lets any AWS SDK, the AWS CLI and the
 * hako CLI talk to hako. Every active key may call every API: hako has no IAM users' policies yet.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { AwsError } from '../core/aws-error.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { formatCredentialsFile, generateAccessKey } from './sigv4/index.js';

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  userName: string;
  createdAt: number;
}

/**
 * Temporary credentials, as AWS hands a function its execution role's: an `ASIA…` key that needs its
 * session token on every request, held in memory only, gone when hako stops.
 */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export class AccessKeys {
  readonly #keys = new Map<string, AccessKeyRecord>();
  readonly #sessions = new Map<string, SessionCredentials>();
  readonly #store: RecordCollection<AccessKeyRecord>;
  readonly #clock: Clock;

  constructor(records: RecordStore, clock: Clock) {
    this.#store = records.collection('iam.access-keys');
    this.#clock = clock;
  }

  /** Loads the keys; on first start creates the root key and its credentials file, whose path it returns. */
  async start(dataDir: string): Promise<{ createdCredentialsFile: string | undefined }> {
    for (const record of (await this.#store.loadAll()).values()) this.#keys.set(record.accessKeyId, record);
    if (this.#keys.size > 0) return { createdCredentialsFile: undefined };
    const root = await this.create('root');
    const file = path.join(dataDir, 'credentials');
    writeSecretFile(file, formatCredentialsFile([{ profile: 'default', accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey }]));
    return { createdCredentialsFile: file };
  }

  /** The secret of an active key or a session; undefined for unknown and inactive keys alike. */
  secretOf(accessKeyId: string): string | undefined {
    const key = this.#keys.get(accessKeyId);
    if (key !== undefined) return key.status === 'Active' ? key.secretAccessKey : undefined;
    return this.#sessions.get(accessKeyId)?.secretAccessKey;
  }

  /**
   * Whether a request signed by `accessKeyId` carries the right session token: none for a long-term key,
   * exactly the session's for temporary credentials (AWS answers a missing or wrong one with 403).
   */
  sessionTokenMatches(accessKeyId: string, token: string | undefined): boolean {
    const session = this.#sessions.get(accessKeyId);
    return session === undefined || token === session.sessionToken;
  }

  /**
   * New temporary credentials (function environments get them). They are not listed with the access keys
   * and do not count as one: disabling every long-term key still locks a user out, as it should.
   */
  issueSession(): SessionCredentials {
    const { accessKeyId, secretAccessKey } = generateAccessKey();
    const session = { accessKeyId: `ASIA${accessKeyId.slice(4)}`, secretAccessKey, sessionToken: randomBytes(96).toString('base64') };
    this.#sessions.set(session.accessKeyId, session);
    return session;
  }

  async create(userName: string): Promise<AccessKeyRecord> {
    if (!/^[\w+=,.@-]{1,64}$/.test(userName)) throw new AwsError('InvalidRequestException', 'userName must be 1 to 64 characters of [a-zA-Z0-9_+=,.@-]');
    const { accessKeyId, secretAccessKey } = generateAccessKey();
    const record: AccessKeyRecord = { accessKeyId, secretAccessKey, status: 'Active', userName, createdAt: this.#clock.now() };
    await this.#store.put(accessKeyId, record);
    this.#keys.set(accessKeyId, record);
    return record;
  }

  async update(accessKeyId: string, status: string): Promise<void> {
    const record = this.#get(accessKeyId);
    if (status !== 'Active' && status !== 'Inactive') throw new AwsError('InvalidRequestException', 'status must be Active or Inactive');
    this.#guardLastKey(record, status === 'Inactive');
    const updated = { ...record, status: status as AccessKeyRecord['status'] };
    await this.#store.put(accessKeyId, updated);
    this.#keys.set(accessKeyId, updated);
  }

  async delete(accessKeyId: string): Promise<void> {
    const record = this.#get(accessKeyId);
    this.#guardLastKey(record, true);
    await this.#store.delete(accessKeyId);
    this.#keys.delete(accessKeyId);
  }

  list(): AccessKeyRecord[] {
    return [...this.#keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.accessKeyId < b.accessKeyId ? -1 : 1));
  }

  #get(accessKeyId: string): AccessKeyRecord {
    const record = this.#keys.get(accessKeyId);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `The access key ${accessKeyId} does not exist`);
    return record;
  }

  /** Locking everyone out of the APIs would need a reinstall: the last active key stays. */
  #guardLastKey(record: AccessKeyRecord, disabling: boolean): void {
    if (!disabling || record.status !== 'Active') return;
    const active = [...this.#keys.values()].filter((k) => k.status === 'Active');
    if (active.length === 1) throw new AwsError('InvalidRequestException', `${record.accessKeyId} is the last active access key; create another before removing it`);
  }
}

/** Writes a file only its owner can read, atomically (readers never see half of it). */
export function writeSecretFile(file: string, contents: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode: 0o600 });
  chmodSync(temporary, 0o600); // the umask may have narrowed mode, never widened it; this makes it exact
  renameSync(temporary, file);
}
