/**
 * @module streams/iterators — shard iterators as self-describing tokens.
 *
 * An iterator names a stream (and its creation time, so one from a deleted stream of the same name is
 * refused), a shard, the next sequence counter to read and when it was issued. It is base64url JSON
 * plus an HMAC-SHA256 tag under a key kept in the record store: hako holds no iterator state, iterators
 * survive a restart, and a client cannot edit one to read from a position it was not given. Like AWS's,
 * an iterator expires 5 minutes after it was issued (spec §9); GetRecords hands out a fresh one each call.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { RecordStore } from '../store/records.js';
import { kinesisError } from './errors.js';

export const ITERATOR_TTL_MS = 5 * 60 * 1000;
const TAG_BYTES = 16;

export interface IteratorPosition {
  readonly stream: string;
  readonly createdMs: number;
  readonly shard: number;
  /** The next counter to read (records with `seq >= this`). */
  readonly seq: number;
}

/** The iterator key: made once, on the first start, and kept with the other records. */
export async function loadIteratorKey(records: RecordStore): Promise<Buffer> {
  const settings = records.collection<string>('kinesis-settings');
  const stored = (await settings.loadAll()).get('iterator-key');
  if (stored !== undefined) return Buffer.from(stored, 'base64');
  const key = randomBytes(32);
  await settings.put('iterator-key', key.toString('base64'));
  return key;
}

export class IteratorCodec {
  readonly #key: Buffer;
  readonly #clock: Clock;

  constructor(key: Buffer, clock: Clock) {
    this.#key = key;
    this.#clock = clock;
  }

  encode(position: IteratorPosition): string {
    const body = Buffer.from(JSON.stringify([position.stream, position.createdMs, position.shard, position.seq, this.#clock.now()])).toString('base64url');
    return `${body}.${this.#tag(body).toString('base64url')}`;
  }

  /** The position, or InvalidArgumentException (not one of hako's) / ExpiredIteratorException. */
  decode(token: string): IteratorPosition {
    const invalid = kinesisError('InvalidArgumentException', `Invalid ShardIterator: ${token.length > 64 ? `${token.slice(0, 64)}…` : token}`);
    const [body, tag, extra] = token.split('.');
    if (body === undefined || tag === undefined || extra !== undefined) throw invalid;
    const given = Buffer.from(tag, 'base64url');
    if (given.length !== TAG_BYTES || !timingSafeEqual(given, this.#tag(body))) throw invalid;
    const [stream, createdMs, shard, seq, issuedAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [string, number, number, number, number];
    const now = this.#clock.now();
    if (now - issuedAt > ITERATOR_TTL_MS) {
      throw kinesisError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`,
      );
    }
    return { stream, createdMs, shard, seq };
  }

  #tag(body: string): Buffer {
    return createHmac('sha256', this.#key).update(body).digest().subarray(0, TAG_BYTES);
  }
}
