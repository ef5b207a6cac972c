/**
 * @module streams/delivery/segment-format — the bytes of the segment buffer store (`segment-buffer-store.ts`):
 * one framed entry per chunk, CRC32, and the directory name of a delivery stream.
 *
 * An entry, little-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `HKB` and the format version (1) |
 * | 4 | 4 | `count`: records in the chunk |
 * | 8 | 4 | `bytes`: length of the data |
 * | 12 | 8 | `seq` (float64: any safe integer) |
 * | 20 | 8 | `arrivalMs` (float64) |
 * | 28 | 4 × count | each record's length |
 * | 28 + 4 × count | bytes | the records, back to back |
 * | end − 4 | 4 | CRC32 of everything before it in the entry |
 *
 * The CRC covers the header too, so a length damaged by a torn or corrupted write is caught before it is
 * used to find the next entry.
 */
import zlib from 'node:zlib';
import type { BufferedChunk } from './buffer-store.js';

export const FORMAT_VERSION = 1;
const MAGIC = [0x48, 0x4b, 0x42] as const; // "HKB"
/** Bytes before the record lengths. */
export const FIXED_HEADER_BYTES = 28;
const CRC_BYTES = 4;

/** Node 20.15+ and 22.2+ have a native `zlib.crc32`; older Node 20 releases get the table below. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array, value = 0): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const t = table;
  let crc = ~value;
  for (let i = 0; i < data.length; i++) crc = (t[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** CRC-32 (IEEE, as zlib), continuing from `value` when given. */
export const crc32: (data: Uint8Array, value?: number) => number = nativeCrc32 ?? tableCrc32;
/** For the test that checks the fallback against zlib. */
export const crc32Fallback = tableCrc32;

/** Header (with the record lengths), the data, then the CRC: the buffers to write, and their total length. */
export function encodeEntry(chunk: BufferedChunk): { buffers: Buffer[]; length: number } {
  const count = chunk.lengths.length;
  const header = Buffer.allocUnsafe(FIXED_HEADER_BYTES + 4 * count);
  header[0] = MAGIC[0];
  header[1] = MAGIC[1];
  header[2] = MAGIC[2];
  header[3] = FORMAT_VERSION;
  header.writeUInt32LE(count, 4);
  header.writeUInt32LE(chunk.data.length, 8);
  header.writeDoubleLE(chunk.seq, 12);
  header.writeDoubleLE(chunk.arrivalMs, 20);
  for (let i = 0; i < count; i++) header.writeUInt32LE(chunk.lengths[i] as number, FIXED_HEADER_BYTES + 4 * i);
  const trailer = Buffer.allocUnsafe(CRC_BYTES);
  trailer.writeUInt32LE(crc32(chunk.data, crc32(header)), 0);
  return { buffers: [header, chunk.data, trailer], length: header.length + chunk.data.length + CRC_BYTES };
}

export type FixedHeader =
  | { readonly kind: 'entry'; readonly count: number; readonly bytes: number; readonly seq: number; readonly arrivalMs: number; readonly length: number }
  /** Not the start of an entry (garbage, or a write cut short). */
  | { readonly kind: 'bad' }
  /** An entry of a format version this hako does not know (a newer hako wrote it). */
  | { readonly kind: 'newer'; readonly version: number };

/** Reads the first `FIXED_HEADER_BYTES` of an entry. The lengths in it are not trusted until the CRC matches. */
export function decodeFixedHeader(header: Buffer): FixedHeader {
  if (header.length < FIXED_HEADER_BYTES || header[0] !== MAGIC[0] || header[1] !== MAGIC[1] || header[2] !== MAGIC[2]) return { kind: 'bad' };
  const version = header[3] as number;
  if (version !== FORMAT_VERSION) return version > FORMAT_VERSION ? { kind: 'newer', version } : { kind: 'bad' };
  const count = header.readUInt32LE(4);
  const bytes = header.readUInt32LE(8);
  const seq = header.readDoubleLE(12);
  const arrivalMs = header.readDoubleLE(20);
  if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isFinite(arrivalMs)) return { kind: 'bad' };
  return { kind: 'entry', count, bytes, seq, arrivalMs, length: FIXED_HEADER_BYTES + 4 * count + bytes + CRC_BYTES };
}

/**
 * A whole entry (`entry.length` bytes, starting with the header `decodeFixedHeader` read) as a chunk of
 * `stream`, or undefined when its CRC or its lengths do not add up.
 */
export function decodeEntry(stream: string, entry: Buffer): BufferedChunk | undefined {
  const header = decodeFixedHeader(entry);
  if (header.kind !== 'entry' || entry.length !== header.length) return undefined;
  const end = entry.length - CRC_BYTES;
  if (crc32(entry.subarray(0, end)) !== entry.readUInt32LE(end)) return undefined;
  const lengths = new Array<number>(header.count);
  let sum = 0;
  for (let i = 0; i < header.count; i++) sum += lengths[i] = entry.readUInt32LE(FIXED_HEADER_BYTES + 4 * i);
  if (sum !== header.bytes) return undefined;
  const dataStart = FIXED_HEADER_BYTES + 4 * header.count;
  return { stream, seq: header.seq, arrivalMs: header.arrivalMs, count: header.count, bytes: header.bytes, lengths, data: entry.subarray(dataStart, dataStart + header.bytes) };
}

/**
 * A stream's directory name. Firehose names are `[a-zA-Z0-9_.-]{1,64}`, so `.` and `..` are names; every
 * character but `[a-z0-9_-]` becomes `%XX` (UTF-8, upper-case hex): `..` is `%2E%2E`, `Raw` is `%52aw`. No
 * name can mean a parent or hidden directory, and two names never collide on a case-insensitive file system.
 */
export function encodeStreamDir(stream: string): string {
  let out = '';
  for (const byte of Buffer.from(stream, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The stream a directory name stands for, or undefined when `encodeStreamDir` did not make it. */
export function decodeStreamDir(name: string): string | undefined {
  if (!/^(?:[a-z0-9_-]|%[0-9A-F]{2})+$/.test(name)) return undefined;
  try {
    const stream = decodeURIComponent(name);
    return encodeStreamDir(stream) === name ? stream : undefined;
  } catch {
    return undefined;
  }
}

/** Segment files are named for the seq of their first chunk, zero-padded so names sort as numbers. */
export function segmentFileName(firstSeq: number): string {
  return `${firstSeq.toString().padStart(16, '0')}.seg`;
}

export const SEGMENT_NAME = /^\d{16}\.seg$/;
