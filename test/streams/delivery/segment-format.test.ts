/**
 * @module test/streams/delivery/segment-format.test — the bytes of the segment files: an entry decodes to
 * the chunk it encodes, any cut or flipped byte makes it undecodable, the fallback CRC32 (for Node before
 * 20.15) agrees with zlib's, and stream directory names are safe and reversible.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { crc32Fallback, decodeEntry, decodeFixedHeader, decodeStreamDir, encodeEntry, encodeStreamDir } from '../../../src/streams/delivery/segment-format.js';
import { chunk } from '../../contract/delivery-buffer-store.contract.js';

test('crc32 fallback: the same value as zlib.crc32, whole and continued', () => {
  for (const length of [0, 1, 7, 100, 4096]) {
    const data = randomBytes(length);
    assert.equal(crc32Fallback(data), zlib.crc32(data), `${length} bytes`);
    assert.equal(crc32Fallback(data.subarray(length >> 1), crc32Fallback(data.subarray(0, length >> 1))), zlib.crc32(data));
  }
  assert.equal(crc32Fallback(Buffer.from('123456789')), 0xcbf43926); // the standard check value
});

test('encodeEntry → decodeEntry: the chunk back; every truncation and every single flipped byte refused', () => {
  const original = chunk('s', 2 ** 40, 4, 1_700_000_000_123);
  const { buffers, length } = encodeEntry(original);
  const entry = Buffer.concat(buffers);
  assert.equal(entry.length, length);
  const decoded = decodeEntry('s', entry);
  assert.deepEqual(decoded && { ...decoded, data: Buffer.from(decoded.data) }, { ...original, lengths: [...original.lengths] });
  const header = decodeFixedHeader(entry);
  assert.equal(header.kind === 'entry' && header.length, length);
  for (let cut = 0; cut < length; cut++) assert.equal(decodeEntry('s', entry.subarray(0, cut)), undefined, `cut at ${cut}`);
  for (let i = 0; i < length; i++) {
    const damaged = Buffer.from(entry);
    damaged[i] = (damaged[i] as number) ^ 0x10;
    assert.equal(decodeEntry('s', damaged), undefined, `byte ${i} flipped`);
  }
});

test('stream directory names: every legal name is one path segment, reversible, distinct when case is folded', () => {
  const names = ['.', '..', '...', 'a', 'A', 'Raw', 'raw', 'a.b-c_d', 'x'.repeat(64), '0-9_.Z'];
  const dirs = names.map(encodeStreamDir);
  for (const [i, dir] of dirs.entries()) {
    assert.match(dir, /^[a-z0-9_%A-F-]+$/, `${names[i]} → ${dir}`);
    assert.ok(dir.length <= 3 * 64 && dir.length <= 255);
    assert.equal(decodeStreamDir(dir), names[i]);
  }
  assert.equal(new Set(dirs.map((dir) => dir.toLowerCase())).size, names.length);
  for (const foreign of ['lost+found', '%2e', '%ZZ', '', 'A', '.hidden']) assert.equal(decodeStreamDir(foreign), undefined, foreign);
});
