/**
 * @module test/streams/delivery/segment-buffer-store.test — what the segment files do beyond the
 * `DeliveryBufferStore` contract (test/contract/delivery-buffer-store.test.ts): a torn or damaged entry is
 * dropped at open and its file truncated, segment files roll and go once delivered, `removed.json` keeps
 * delivered chunks from coming back after a restart, and stream names such as `..` stay inside the store.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { HakoError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import type { BufferedChunk } from '../../../src/streams/delivery/buffer-store.js';
import { SegmentDeliveryBufferStore, type SegmentStoreOptions } from '../../../src/streams/delivery/segment-buffer-store.js';
import { encodeStreamDir } from '../../../src/streams/delivery/segment-format.js';
import { chunk } from '../../contract/delivery-buffer-store.contract.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-segments-'));
  dirs.push(dir);
  return path.join(dir, 'delivery-buffer');
}

/** A logger whose warnings the test can read. */
function recordingLogger(): { logger: ReturnType<typeof createLogger>; messages: string[] } {
  const messages: string[] = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      messages.push((JSON.parse(line.toString()) as { msg: string }).msg);
      done();
    },
  });
  return { logger: createLogger('warn', sink), messages };
}

const streamDir = (root: string, stream: string): string => path.join(root, encodeStreamDir(stream));
const segmentsOf = (root: string, stream: string): string[] => readdirSync(streamDir(root, stream)).filter((name) => name.endsWith('.seg')).sort();
const onlySegment = (root: string, stream: string): string => {
  const segments = segmentsOf(root, stream);
  assert.equal(segments.length, 1);
  return path.join(streamDir(root, stream), segments[0] as string);
};
const seqs = async (store: SegmentDeliveryBufferStore): Promise<string[]> => (await store.load()).map((c) => `${c.stream}:${c.seq}`);
const plain = (c: BufferedChunk): object => ({ seq: c.seq, arrivalMs: c.arrivalMs, count: c.count, bytes: c.bytes, lengths: [...c.lengths], data: Buffer.from(c.data) });

/** Appends chunks 1..n of `s` one turn each; returns the file offset of each chunk's entry. */
async function appendEach(store: SegmentDeliveryBufferStore, root: string, n: number): Promise<number[]> {
  const offsets: number[] = [];
  for (let seq = 1; seq <= n; seq++) {
    offsets.push(existsSync(streamDir(root, 's')) ? statSync(onlySegment(root, 's')).size : 0);
    await store.append(chunk('s', seq));
  }
  return offsets;
}

const reopen = async (store: SegmentDeliveryBufferStore, root: string, options: SegmentStoreOptions = {}): Promise<SegmentDeliveryBufferStore> => {
  await store.close();
  return SegmentDeliveryBufferStore.open(root, options);
};

describe('torn and damaged entries', () => {
  for (const cut of [5, 40, -1]) {
    it(`a last entry cut short (${cut < 0 ? 'its last byte' : `after ${cut} bytes`}) is dropped and the file truncated; earlier chunks and later appends are whole`, async () => {
      const root = tempRoot();
      let store = SegmentDeliveryBufferStore.open(root);
      const offsets = await appendEach(store, root, 3);
      await store.close();
      const file = onlySegment(root, 's');
      const third = offsets[2] as number;
      truncateSync(file, cut < 0 ? statSync(file).size - 1 : third + cut);
      const { logger, messages } = recordingLogger();
      store = SegmentDeliveryBufferStore.open(root, { logger });
      assert.deepEqual(await seqs(store), ['s:1', 's:2']);
      assert.equal(statSync(file).size, third, 'truncated at the end of the last good entry');
      assert.equal(messages.length, 1);
      assert.match(messages[0] as string, /torn or damaged entry/);
      await store.append(chunk('s', 3, 5));
      store = await reopen(store, root);
      assert.deepEqual((await store.read('s', 1, 3)).map(plain), [chunk('s', 1), chunk('s', 2), chunk('s', 3, 5)].map(plain));
      await store.close();
    });
  }

  it('garbage after the last entry (even what looks like a header) is dropped; every chunk before it is kept', async () => {
    for (const garbage of [Buffer.from('not an entry at all, just bytes'), Buffer.concat([Buffer.from([0x48, 0x4b, 0x42, 1]), Buffer.alloc(40, 0xff)])]) {
      const root = tempRoot();
      let store = SegmentDeliveryBufferStore.open(root);
      await appendEach(store, root, 2);
      await store.close();
      const file = onlySegment(root, 's');
      const size = statSync(file).size;
      appendFileSync(file, garbage);
      store = SegmentDeliveryBufferStore.open(root);
      assert.deepEqual((await store.read('s', 1, 2)).map(plain), [chunk('s', 1), chunk('s', 2)].map(plain));
      assert.equal(statSync(file).size, size);
      await store.close();
    }
  });

  // A crash can only tear the last write, so a bad entry before good ones is damage outside the kill -9
  // guarantee. What follows it is dropped too: the lengths that say where the next entry starts are in the
  // damaged entry and cannot be trusted, and skipping ahead to something that looks like an entry could
  // deliver garbage or an entry out of order. Losing those chunks is what the damage costs; delivering
  // garbage is not an option.
  it('a CRC mismatch in the middle drops that entry and the ones after it in its file', async () => {
    const root = tempRoot();
    let store = SegmentDeliveryBufferStore.open(root);
    const offsets = await appendEach(store, root, 3);
    await store.close();
    const file = onlySegment(root, 's');
    const bytes = readFileSync(file);
    const flip = (offsets[1] as number) + 40; // inside the second chunk's data
    bytes[flip] = (bytes[flip] as number) ^ 0x01;
    writeFileSync(file, bytes);
    store = SegmentDeliveryBufferStore.open(root);
    assert.deepEqual(await seqs(store), ['s:1']);
    assert.equal(statSync(file).size, offsets[1]);
    await store.close();
  });

  it('an entry damaged after the store opened is refused by read, not delivered', async () => {
    const root = tempRoot();
    const store = SegmentDeliveryBufferStore.open(root);
    await appendEach(store, root, 1);
    const file = onlySegment(root, 's');
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(store.read('s', 1, 1), /damaged after it was written/);
    await store.close();
  });

  it('an entry of a newer format stops the open with DATA_DIR_UNUSABLE rather than being dropped', async () => {
    const root = tempRoot();
    const store = SegmentDeliveryBufferStore.open(root);
    await appendEach(store, root, 1);
    await store.close();
    const file = onlySegment(root, 's');
    const bytes = readFileSync(file);
    bytes[3] = 2;
    writeFileSync(file, bytes);
    assert.throws(() => SegmentDeliveryBufferStore.open(root), (error: unknown) => error instanceof HakoError && error.code === 'HAKO_ERR_DATA_DIR_UNUSABLE' && /newer than this hako/.test(error.message));
  });
});

describe('segments and removal', () => {
  it('rolls at segmentBytes, deletes a segment once all its chunks are removed, and starts a new one after', async () => {
    const root = tempRoot();
    const store = SegmentDeliveryBufferStore.open(root, { segmentBytes: 100 }); // two ~60-byte entries a file
    for (let seq = 1; seq <= 6; seq++) await store.append(chunk('s', seq));
    assert.deepEqual(segmentsOf(root, 's'), ['0000000000000001.seg', '0000000000000003.seg', '0000000000000005.seg']);
    await store.remove('s', 1, 1);
    assert.equal(segmentsOf(root, 's').length, 3, 'chunk 2 is still in the first file');
    await store.remove('s', 2, 3);
    assert.deepEqual(segmentsOf(root, 's'), ['0000000000000003.seg', '0000000000000005.seg']);
    await store.remove('s', 4, 6);
    assert.deepEqual(readdirSync(streamDir(root, 's')), ['removed.json'], 'every segment gone, the current one too');
    await store.append(chunk('s', 7));
    assert.deepEqual(segmentsOf(root, 's'), ['0000000000000007.seg']);
    await store.close();
  });

  it('removed.json keeps delivered chunks of a segment still in use from coming back after a reopen', async () => {
    const root = tempRoot();
    let store = SegmentDeliveryBufferStore.open(root);
    for (let seq = 1; seq <= 4; seq++) await store.append(chunk('s', seq));
    await store.remove('s', 1, 2);
    const size = statSync(onlySegment(root, 's')).size;
    assert.deepEqual(JSON.parse(readFileSync(path.join(streamDir(root, 's'), 'removed.json'), 'utf8')), { through: 2, holes: [] });
    store = await reopen(store, root);
    assert.deepEqual((await store.read('s', 1, 4)).map(plain), [chunk('s', 3), chunk('s', 4)].map(plain));
    assert.equal(statSync(onlySegment(root, 's')).size, size, 'the delivered chunks stay in the file until all of it is delivered');
    await store.append(chunk('s', 5));
    await store.remove('s', 3, 3);
    store = await reopen(store, root);
    assert.deepEqual(await seqs(store), ['s:4', 's:5']);
    await store.close();
  });

  it('a removal that is not a prefix is kept as a hole; removed chunks after the last one left are cut off at reopen', async () => {
    const root = tempRoot();
    let store = SegmentDeliveryBufferStore.open(root);
    for (let seq = 1; seq <= 6; seq++) await store.append(chunk('s', seq));
    await store.remove('s', 2, 3);
    await store.remove('s', 5, 6);
    assert.deepEqual(JSON.parse(readFileSync(path.join(streamDir(root, 's'), 'removed.json'), 'utf8')), { through: 0, holes: [[2, 3], [5, 6]] });
    store = await reopen(store, root);
    assert.deepEqual(await seqs(store), ['s:1', 's:4']);
    assert.deepEqual(JSON.parse(readFileSync(path.join(streamDir(root, 's'), 'removed.json'), 'utf8')), { through: 0, holes: [[2, 3]] });
    await store.close();
  });

  it('a stream with nothing left loses its directory at open; an unreadable removed.json means delivering again, not losing', async () => {
    const root = tempRoot();
    let store = SegmentDeliveryBufferStore.open(root);
    await store.append(chunk('done', 1));
    await store.remove('done', 1, 1);
    for (let seq = 1; seq <= 3; seq++) await store.append(chunk('s', seq));
    await store.remove('s', 1, 1);
    await store.close();
    writeFileSync(path.join(streamDir(root, 's'), 'removed.json'), '{"through":');
    const { logger, messages } = recordingLogger();
    store = SegmentDeliveryBufferStore.open(root, { logger });
    assert.equal(existsSync(streamDir(root, 'done')), false);
    assert.deepEqual(await seqs(store), ['s:1', 's:2', 's:3']);
    assert.match(messages.join('\n'), /unreadable removed\.json/);
    await store.close();
  });

  it('appends out of seq order are refused, naming the stream and the seqs', async () => {
    const root = tempRoot();
    const store = SegmentDeliveryBufferStore.open(root);
    await store.append(chunk('s', 5));
    await assert.rejects(store.append(chunk('s', 5)), /delivery buffer of s: seq 5 is not above the last one appended \(5\)/);
    await assert.rejects(store.append(chunk('s', 4)), /seq 4/);
    await store.append(chunk('s', 6));
    assert.deepEqual(await seqs(store), ['s:5', 's:6']);
    await store.close();
  });
});

describe('stream names', () => {
  it('".", "..", "Raw" and "raw" are directories of their own inside the store; deleteStream("..") removes only its own', async () => {
    const root = tempRoot();
    let store = SegmentDeliveryBufferStore.open(root);
    for (const stream of ['..', '.', 'Raw', 'raw', 'a-b_c.d']) await store.append(chunk(stream, 1));
    assert.deepEqual(readdirSync(root).sort(), ['%2E', '%2E%2E', '%52aw', 'a-b_c%2Ed', 'raw']);
    assert.deepEqual(readdirSync(path.dirname(root)), ['delivery-buffer'], 'nothing written beside the store');
    store = await reopen(store, root);
    assert.deepEqual(await seqs(store), ['.:1', '..:1', 'Raw:1', 'a-b_c.d:1', 'raw:1']);
    assert.deepEqual((await store.read('..', 1, 1)).map(plain), [plain(chunk('..', 1))]);
    await store.deleteStream('..');
    assert.deepEqual(readdirSync(root).sort(), ['%2E', '%52aw', 'a-b_c%2Ed', 'raw']);
    await store.close();
  });

  it('a directory or file that is not a stream\'s is left alone', async () => {
    const root = tempRoot();
    mkdirSync(path.join(root, 'lost+found'), { recursive: true });
    writeFileSync(path.join(root, 'notes'), 'a file, not a stream directory');
    const { logger, messages } = recordingLogger();
    const store = SegmentDeliveryBufferStore.open(root, { logger });
    assert.deepEqual(await store.load(), []);
    assert.ok(existsSync(path.join(root, 'lost+found')) && existsSync(path.join(root, 'notes')));
    assert.match(messages.join('\n'), /not a stream directory/);
    await store.close();
  });
});
