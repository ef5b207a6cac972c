/**
 * @module streams/delivery/segment-buffer-store — `DeliveryBufferStore` as append-only segment files: what
 * hako uses with a data directory. Each chunk's bytes are written once, to the page cache, and deleted with
 * their file once every chunk in it is delivered (SQLite wrote them to its WAL, copied them into the
 * database and deleted them).
 *
 * Layout: `<root>/<stream>/` per delivery stream (the name encoded by `encodeStreamDir`, so `..` is a
 * directory like any other), holding segment files `<first seq>.seg` of framed entries
 * (`segment-format.ts`) and `removed.json`, which says which seqs are delivered (`segment-recovery.ts`).
 *
 * Durability is the SQLite store's (WAL, `synchronous = NORMAL`): `append` resolves once its entry has been
 * `write`n to the file. The bytes are then in the kernel's page cache, which outlives the process, so an
 * acknowledged chunk survives a crash or `kill -9` of hako; only a power cut or kernel panic can lose the
 * last writes, and no fsync is made for that. The appends of one event-loop turn go to each stream's file
 * in one `writev` (`GroupCommit`, as SQLite's commits), synchronously: the write is a copy into the page
 * cache, so a promise resolved after it is as simple as it gets, and costs no thread hop.
 *
 * A crash mid-write can leave the last entry of a file cut short. Every entry carries a CRC32 over its
 * header and data, and a restart drops an entry that is cut short or does not match — with what follows it
 * in that file, since its lengths, which say where the next entry starts, are what cannot be trusted —
 * and truncates the file there, so nothing is delivered as garbage and later appends start clean.
 *
 * Removal: deliveries remove their batch, always the oldest chunks. `removed.json` (replaced by write to a
 * temporary file and rename, atomic for readers) records the removed seqs, so a restart does not deliver
 * the delivered chunks of a segment still in use again; a segment file goes once none of its chunks is left.
 * Removing a range that is not a prefix works too: what it leaves is recorded as ranges ("holes").
 *
 * Segments roll at `segmentBytes` (16 MiB by default): a file is deleted only when all its chunks are
 * delivered, so a stream keeps at most about that much delivered data on disk besides what waits, and a
 * restart reads at most that much it does not need; with 100 KB calls that is a file every 160 calls, so
 * creating and deleting files costs nothing next to the writes.
 */
import { closeSync, type Dirent, mkdirSync, openSync, readdirSync, readSync, rmSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { firstAtOrAbove } from '../../core/seq-search.js';
import { GroupCommit } from '../../store/group-commit.js';
import { metaOf, type BufferedChunk, type ChunkMeta, type DeliveryBufferStore } from './buffer-store.js';
import { decodeEntry, decodeStreamDir, encodeEntry, encodeStreamDir, segmentFileName } from './segment-format.js';
import { recoverStream, removedFor, writeRemoved, type Entry, type Segment } from './segment-recovery.js';

export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

export interface SegmentStoreOptions {
  /** A segment takes no more appends once it is this long. */
  readonly segmentBytes?: number;
  /** Warnings about entries dropped at open (torn writes, damage). */
  readonly logger?: Logger;
}

/** One stream's files and the index of its chunks still to deliver. */
interface StreamFiles {
  readonly stream: string;
  readonly dir: string;
  /** In seq order. */
  entries: Entry[];
  /** In file (and seq) order. */
  segments: Segment[];
  /** The segment appends go to, open. */
  active: { readonly segment: Segment; readonly fd: number } | undefined;
  /** The highest seq appended: the next must be above it. */
  lastSeq: number;
  /** What `removed.json` says now, to skip writing it again unchanged. */
  removedText: string | undefined;
  readonly writes: GroupCommit<BufferedChunk>;
}

/** Writes every byte of `buffers`, going on after a partial write. */
function writeAll(fd: number, buffers: Buffer[]): void {
  let pending = buffers;
  for (;;) {
    let written = writevSync(fd, pending);
    let i = 0;
    while (i < pending.length && written >= (pending[i] as Buffer).length) written -= (pending[i++] as Buffer).length;
    if (i === pending.length) return;
    pending = [(pending[i] as Buffer).subarray(written), ...pending.slice(i + 1)];
  }
}

/** `[start, end)` of the entries with `from <= seq <= to`. */
function rangeOf(entries: readonly Entry[], from: number, to: number): [number, number] {
  const start = firstAtOrAbove(entries, from);
  return [start, Math.max(start, firstAtOrAbove(entries, to + 1))];
}

export class SegmentDeliveryBufferStore implements DeliveryBufferStore {
  readonly #root: string;
  readonly #segmentBytes: number;
  readonly #streams = new Map<string, StreamFiles>();
  #closed = false;

  private constructor(root: string, options: SegmentStoreOptions) {
    this.#root = root;
    this.#segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  }

  /**
   * Opens the store at `root` (created on the first append): reads every stream's segments, dropping torn
   * entries and delivered chunks, so `load` answers from memory.
   */
  static open(root: string, options: SegmentStoreOptions = {}): SegmentDeliveryBufferStore {
    const store = new SegmentDeliveryBufferStore(root, options);
    let dirents: Dirent[];
    try {
      dirents = readdirSync(root, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw error;
    }
    for (const dirent of dirents) {
      const name = dirent.name;
      const stream = dirent.isDirectory() ? decodeStreamDir(name) : undefined;
      if (stream === undefined) {
        options.logger?.warn({ dir: path.join(root, name) }, 'delivery buffer: not a stream directory; left alone');
        continue;
      }
      const recovered = recoverStream(path.join(root, name), stream, options.logger);
      if (recovered === undefined) continue;
      const files = store.#newStream(stream);
      files.entries = recovered.entries;
      files.segments = recovered.segments;
      files.lastSeq = recovered.lastSeq;
      files.removedText = recovered.removedText;
      const last = recovered.segments.at(-1);
      if (last !== undefined && last.size < store.#segmentBytes) files.active = { segment: last, fd: openSync(path.join(files.dir, last.file), 'a') };
    }
    return store;
  }

  append(chunk: BufferedChunk): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('delivery buffer store is closed'));
    const files = this.#streams.get(chunk.stream) ?? this.#newStream(chunk.stream);
    if (!Number.isSafeInteger(chunk.seq) || chunk.seq <= files.lastSeq) {
      return Promise.reject(new Error(`delivery buffer of ${chunk.stream}: seq ${chunk.seq} is not above the last one appended (${files.lastSeq}); appends must come in increasing seq order`));
    }
    files.lastSeq = chunk.seq;
    return files.writes.write([chunk]);
  }

  async load(): Promise<ChunkMeta[]> {
    const streams = [...this.#streams.keys()].sort();
    return streams.flatMap((stream) => {
      const files = this.#streams.get(stream) as StreamFiles;
      files.writes.flush();
      return files.entries.map(metaOf);
    });
  }

  async read(stream: string, from: number, to: number): Promise<BufferedChunk[]> {
    const files = this.#streams.get(stream);
    if (files === undefined) return [];
    files.writes.flush();
    const [start, end] = rangeOf(files.entries, from, to);
    const fds = new Map<Segment, number>();
    try {
      return files.entries.slice(start, end).map((entry) => {
        let fd = fds.get(entry.segment);
        if (fd === undefined) fds.set(entry.segment, (fd = openSync(path.join(files.dir, entry.segment.file), 'r')));
        const bytes = Buffer.allocUnsafe(entry.length);
        const got = readSync(fd, bytes, 0, entry.length, entry.offset);
        const chunk = got === entry.length ? decodeEntry(stream, bytes) : undefined;
        if (chunk === undefined || chunk.seq !== entry.seq) throw new Error(`delivery buffer ${path.join(files.dir, entry.segment.file)}: the entry at ${entry.offset} (seq ${entry.seq}) was damaged after it was written`);
        return chunk;
      });
    } finally {
      for (const fd of fds.values()) closeSync(fd);
    }
  }

  async remove(stream: string, from: number, to: number): Promise<void> {
    const files = this.#streams.get(stream);
    if (files === undefined) return;
    files.writes.flush(); // an append still waiting for its write must not be missed
    const [start, end] = rangeOf(files.entries, from, to);
    if (start === end) return;
    for (const entry of files.entries.splice(start, end - start)) entry.segment.live--;
    // The record of what is removed first, then the files: a crash between leaves files it marks removed.
    const removed = removedFor(files.entries, files.lastSeq);
    if (JSON.stringify(removed) !== files.removedText) files.removedText = writeRemoved(files.dir, removed);
    for (const segment of files.segments.filter((s) => s.live === 0)) this.#deleteSegment(files, segment);
  }

  async deleteStream(stream: string): Promise<void> {
    const files = this.#streams.get(stream);
    if (files !== undefined) {
      files.writes.flush();
      this.#closeActive(files);
      this.#streams.delete(stream);
    }
    rmSync(path.join(this.#root, encodeStreamDir(stream)), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const files of this.#streams.values()) {
      files.writes.flush();
      this.#closeActive(files);
    }
  }

  #newStream(stream: string): StreamFiles {
    const files: StreamFiles = {
      stream,
      dir: path.join(this.#root, encodeStreamDir(stream)),
      entries: [],
      segments: [],
      active: undefined,
      lastSeq: -1,
      removedText: undefined,
      writes: new GroupCommit((chunks) => this.#write(files, chunks)),
    };
    this.#streams.set(stream, files);
    return files;
  }

  /** One turn's appends to one stream: one `writev`, then the index. */
  #write(files: StreamFiles, chunks: readonly BufferedChunk[]): void {
    const first = chunks[0];
    if (first === undefined) return;
    let active = files.active;
    if (active === undefined || active.segment.size >= this.#segmentBytes) active = this.#roll(files, first.seq);
    const { segment, fd } = active;
    const buffers: Buffer[] = [];
    const entries: Entry[] = [];
    let offset = segment.size;
    for (const chunk of chunks) {
      const encoded = encodeEntry(chunk);
      for (const buffer of encoded.buffers) buffers.push(buffer);
      entries.push({ ...metaOf(chunk), segment, offset, length: encoded.length });
      offset += encoded.length;
    }
    try {
      writeAll(fd, buffers);
    } catch (error) {
      // The appends fail; the next ones go to a new segment, so a part written here stays a torn tail.
      this.#closeActive(files);
      throw error;
    }
    segment.size = offset;
    segment.live += entries.length;
    for (const entry of entries) files.entries.push(entry);
  }

  #roll(files: StreamFiles, firstSeq: number): { segment: Segment; fd: number } {
    this.#closeActive(files);
    mkdirSync(files.dir, { recursive: true });
    const segment: Segment = { file: segmentFileName(firstSeq), size: 0, live: 0 };
    // 'w': a file of that name can only be what a failed write left (names are first seqs, which only grow).
    files.active = { segment, fd: openSync(path.join(files.dir, segment.file), 'w') };
    files.segments.push(segment);
    return files.active;
  }

  #closeActive(files: StreamFiles): void {
    if (files.active === undefined) return;
    closeSync(files.active.fd);
    files.active = undefined;
  }

  #deleteSegment(files: StreamFiles, segment: Segment): void {
    if (files.active?.segment === segment) this.#closeActive(files);
    unlinkSync(path.join(files.dir, segment.file));
    files.segments = files.segments.filter((s) => s !== segment);
  }
}
