/**
 * @module streams/delivery/segment-recovery — one delivery stream's directory of the segment buffer store as
 * a restart finds it: the chunks still to deliver, the "removed" file, and the repairs made on the way.
 *
 * Repairs, in this order, so a crash during any of them leaves a directory the next start reads the same:
 * an entry that is cut short or fails its CRC ends its file's good part, and the file is truncated there (a
 * crash can only tear the last write; see `segment-buffer-store.ts`); removed chunks after the last chunk to
 * deliver are cut off; segment files with nothing left to deliver are deleted; a stream with nothing left at
 * all loses its whole directory, so its sequence numbers can start again at 1; and last, the "removed" file
 * is rewritten to describe what remains.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HakoError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChunkMeta } from './buffer-store.js';
import { decodeEntry, decodeFixedHeader, FIXED_HEADER_BYTES, SEGMENT_NAME } from './segment-format.js';

/** One segment file: its length, and how many of its chunks are still to be delivered. */
export interface Segment {
  readonly file: string;
  size: number;
  live: number;
}

/** A chunk still to deliver, and where its entry is. */
export interface Entry extends ChunkMeta {
  readonly segment: Segment;
  readonly offset: number;
  readonly length: number;
}

/**
 * What of a stream's segments is removed (delivered, or given up): every seq up to `through`, and the
 * ranges in `holes` above it. Deliveries remove in order, so `holes` is empty unless something removed a
 * range that was not a prefix.
 */
export interface Removed {
  readonly through: number;
  readonly holes: readonly (readonly [number, number])[];
}

export const REMOVED_FILE = 'removed.json';

/** The `Removed` that describes `live` (in seq order) when `lastSeq` is the highest seq written. */
export function removedFor(live: readonly ChunkMeta[], lastSeq: number): Removed {
  const first = live[0];
  if (first === undefined) return { through: lastSeq, holes: [] };
  const holes: [number, number][] = [];
  for (let i = 0; i < live.length; i++) {
    const seq = (live[i] as ChunkMeta).seq;
    const next = i + 1 < live.length ? (live[i + 1] as ChunkMeta).seq : lastSeq + 1;
    if (next > seq + 1) holes.push([seq + 1, next - 1]);
  }
  return { through: first.seq - 1, holes };
}

/**
 * Replaces the "removed" file (write to a temporary file, then rename: a reader sees the old file or the
 * new one, never a part). Returns the text written.
 */
export function writeRemoved(dir: string, removed: Removed): string {
  const text = JSON.stringify(removed);
  const file = path.join(dir, REMOVED_FILE);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return text;
}

function readRemoved(dir: string, logger: Logger | undefined): { removed: Removed; text: string | undefined } {
  const none = { through: -1, holes: [] };
  let text: string;
  try {
    text = readFileSync(path.join(dir, REMOVED_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: none, text: undefined };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Removed;
    const isRange = (r: unknown): boolean => Array.isArray(r) && r.length === 2 && r.every(Number.isSafeInteger);
    if (Number.isSafeInteger(parsed.through) && Array.isArray(parsed.holes) && parsed.holes.every(isRange)) return { removed: parsed, text };
  } catch {
    // reported below
  }
  // Only damage outside the kill -9 guarantee makes this: delivering twice beats losing records.
  logger?.warn({ dir }, `unreadable ${REMOVED_FILE} in the delivery buffer: its chunks will be delivered again`);
  return { removed: none, text: undefined };
}

const isRemoved = (seq: number, removed: Removed): boolean => seq <= removed.through || removed.holes.some(([from, to]) => seq >= from && seq <= to);

/**
 * Reads every entry of one segment file, in order, calling `found` for each good one; at the first entry
 * that is cut short, fails its CRC, or is out of seq order, truncates the file there. Returns the good length.
 */
function scanSegment(file: string, stream: string, lastSeq: number, found: (entry: ChunkMeta, offset: number, length: number) => void, logger: Logger | undefined): number {
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const header = Buffer.allocUnsafe(FIXED_HEADER_BYTES);
    let scratch = Buffer.allocUnsafe(0);
    let offset = 0;
    while (offset < size) {
      if (readSync(fd, header, 0, FIXED_HEADER_BYTES, offset) < FIXED_HEADER_BYTES) break;
      const fixed = decodeFixedHeader(header);
      if (fixed.kind === 'newer') throw new HakoError('DATA_DIR_UNUSABLE', [path.dirname(path.dirname(path.dirname(file))), `${file} holds delivery buffer format ${fixed.version}, newer than this hako knows; upgrade hako`]);
      if (fixed.kind === 'bad' || offset + fixed.length > size) break;
      if (scratch.length < fixed.length) scratch = Buffer.allocUnsafe(fixed.length);
      const entry = scratch.subarray(0, fixed.length);
      readSync(fd, entry, 0, fixed.length, offset);
      const chunk = decodeEntry(stream, entry);
      if (chunk === undefined || chunk.seq <= lastSeq) break;
      lastSeq = chunk.seq;
      found(chunk, offset, fixed.length);
      offset += fixed.length;
    }
    if (offset < size) {
      ftruncateSync(fd, offset);
      logger?.warn({ file, offset, dropped: size - offset }, 'delivery buffer: a torn or damaged entry and what follows it in its file were dropped');
    }
    return offset;
  } finally {
    closeSync(fd);
  }
}

export interface RecoveredStream {
  readonly segments: Segment[];
  /** The chunks to deliver, in seq order. */
  readonly entries: Entry[];
  readonly lastSeq: number;
  /** The "removed" file's text, as it now is. */
  readonly removedText: string;
}

/** Reads and repairs one stream's directory; undefined when nothing in it is left to deliver (it is then gone). */
export function recoverStream(dir: string, stream: string, logger: Logger | undefined): RecoveredStream | undefined {
  const names = readdirSync(dir);
  for (const name of names) if (name.endsWith('.tmp')) unlinkSync(path.join(dir, name));
  const { removed, text } = readRemoved(dir, logger);
  const segments: Segment[] = [];
  const entries: Entry[] = [];
  let lastSeq = -1;
  for (const file of names.filter((name) => SEGMENT_NAME.test(name)).sort()) {
    const segment: Segment = { file, size: 0, live: 0 };
    segments.push(segment);
    segment.size = scanSegment(path.join(dir, file), stream, lastSeq, (chunk, offset, length) => {
      lastSeq = chunk.seq;
      if (isRemoved(chunk.seq, removed)) return;
      segment.live++;
      entries.push({ stream, seq: chunk.seq, arrivalMs: chunk.arrivalMs, count: chunk.count, bytes: chunk.bytes, segment, offset, length });
    }, logger);
  }
  const last = entries.at(-1);
  if (last === undefined) {
    // Segments before the "removed" file: it must outlive every file whose chunks it marks removed.
    for (const segment of segments) unlinkSync(path.join(dir, segment.file));
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  // Removed chunks after the last one to deliver go, so the next seq (the last one to deliver + 1) is free.
  if (last.segment.size > last.offset + last.length) {
    last.segment.size = last.offset + last.length;
    truncateSync(path.join(dir, last.segment.file), last.segment.size);
  }
  for (const segment of segments) if (segment.live === 0) unlinkSync(path.join(dir, segment.file));
  const current = removedFor(entries, last.seq);
  const currentText = JSON.stringify(current);
  return { segments: segments.filter((segment) => segment.live > 0), entries, lastSeq: last.seq, removedText: currentText === text ? text : writeRemoved(dir, current) };
}
