/**
 * @module streams/sinks/folder — the object folder: the local stand-in for an S3 bucket. One batch
 * becomes one file at `<bucket dir>/<evaluated prefix><stream>-<version>-<time>-<uuid><ext>`, its records
 * concatenated as sent, gzipped when asked.
 *
 * Writes are atomic: the bytes go to a temporary file under `<buckets root>/.hako-tmp/` (outside every
 * bucket, so a reader walking a bucket never meets one, and on the same filesystem so `rename` works),
 * are fsynced, and the file is renamed into place; the directory is fsynced so the name survives a power
 * cut too. A crash leaves at most a stray temporary file, which `FolderSink.open` sweeps away.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { evaluatePrefix, objectSuffix, PrefixError, type DestinationPrefixes } from '../delivery/prefix.js';
import { PermanentDeliveryError, type DeliveryBatch, type DeliveryReceipt, type Sink } from './sink.js';

const gzip = promisify(gzipCallback);

export type Compression = 'UNCOMPRESSED' | 'GZIP';

export interface FolderSinkOptions {
  /** The directory holding every bucket folder (`<data-dir>/buckets` in hako). */
  readonly root: string;
  readonly bucket: string;
  readonly prefixes: DestinationPrefixes;
  readonly compression: Compression;
  /** `FileExtension`; undefined: `.gz` for GZIP, none otherwise (as Firehose). */
  readonly fileExtension?: string | undefined;
  /** For tests: a fixed random-string source. */
  readonly randomString?: () => string;
}

const TEMP_DIR = '.hako-tmp';

/** Temporary files of writes a crash interrupted; call once at start, before any sink writes. */
export async function sweepTemporaryFiles(root: string): Promise<number> {
  const dir = path.join(root, TEMP_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(path.join(dir, name), { force: true })));
  return names.length;
}

/** Refuses keys that would leave the bucket folder or that a file system cannot hold as S3 does. */
export function checkObjectKey(key: string): void {
  const segments = key.split('/');
  if (key.startsWith('/') || key.includes('\\') || key.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new PermanentDeliveryError(`object key '${key}' cannot be a file in the bucket folder (empty, '.' or '..' segments, a leading '/', '\\' or NUL)`);
  }
}

export class FolderSink implements Sink {
  readonly kind = 'folder';
  readonly #options: FolderSinkOptions;
  readonly #bucketDir: string;
  readonly #tempDir: string;
  /** Directories known to exist, so a busy stream does not mkdir for every object. */
  readonly #made = new Set<string>();

  constructor(options: FolderSinkOptions) {
    this.#options = options;
    this.#bucketDir = path.join(options.root, options.bucket);
    this.#tempDir = path.join(options.root, TEMP_DIR);
  }

  get bucketDir(): string {
    return this.#bucketDir;
  }

  /** The key an object of this batch gets (prefix evaluated once per object, as Firehose does). */
  keyFor(batch: DeliveryBatch): string {
    const { prefixes, compression, fileExtension } = this.#options;
    const template = batch.errorOutputType === undefined ? prefixes.prefix : prefixes.errorOutputPrefix;
    let prefix: string;
    try {
      prefix = evaluatePrefix(template, { arrivalMs: batch.oldestArrivalMs, errorOutputType: batch.errorOutputType, partitionKeys: batch.partitionKeys?.query, lambdaPartitionKeys: batch.partitionKeys?.lambda, randomString: this.#options.randomString });
    } catch (error) {
      if (error instanceof PrefixError) throw new PermanentDeliveryError(error.message, { cause: error });
      throw error;
    }
    const extension = fileExtension ?? (compression === 'GZIP' ? '.gz' : '');
    const key = `${prefix}${objectSuffix(batch.stream, batch.version, batch.oldestArrivalMs, extension)}`;
    checkObjectKey(key);
    return key;
  }

  async deliver(batch: DeliveryBatch): Promise<DeliveryReceipt> {
    const key = this.keyFor(batch);
    const records = batch.contiguous ?? batch.records;
    const body = this.#options.compression === 'GZIP' ? [await gzip(Buffer.concat(records))] : records;
    const temporary = await this.temporaryPath();
    let bytes = 0;
    const file = await open(temporary, 'w', 0o644);
    try {
      // writev in slices: one call per ~1,000 records rather than one per record (IOV_MAX is 1,024).
      for (let i = 0; i < body.length; i += 1000) {
        const slice = body.slice(i, i + 1000);
        const written = (await file.writev(slice)).bytesWritten;
        const expected = slice.reduce((sum, part) => sum + part.length, 0);
        if (written !== expected) throw new Error(`short write to ${temporary}: ${written} of ${expected} bytes`);
        bytes += written;
      }
      await file.sync();
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    await file.close();
    await this.placeFile(key, temporary);
    return { locations: [key], bytes };
  }

  /**
   * A fresh path for a temporary file (under `<root>/.hako-tmp/`: outside every bucket, on the same
   * filesystem, swept at start), for writers that make an object's file themselves (Parquet).
   */
  async temporaryPath(suffix = '.tmp'): Promise<string> {
    await this.#ensureDir(this.#tempDir);
    return path.join(this.#tempDir, `${randomUUID()}${suffix}`);
  }

  /** Renames a complete, fsynced temporary file into place as object `key` (removed if that fails). */
  async placeFile(key: string, temporary: string): Promise<void> {
    const target = path.join(this.#bucketDir, ...key.split('/'));
    try {
      await this.#ensureDir(path.dirname(target));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      this.#made.clear(); // a directory may have been removed under us; recreate on the retry
      throw error;
    }
    await syncDir(path.dirname(target));
  }

  async #ensureDir(dir: string): Promise<void> {
    if (this.#made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.#made.add(dir);
  }
}

/** fsync of a directory makes a rename in it durable (Linux; elsewhere opening a directory may fail). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: the object is already complete and visible; only its name's durability is at stake.
  } finally {
    await handle?.close();
  }
}
