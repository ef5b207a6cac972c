/**
 * @module test/streams/delivery/folder-sink.test — the object folder beyond the Sink contract: object
 * keys as Firehose names them, `.gz` and `FileExtension`, atomic writes (a reader walking the bucket
 * while objects are written never sees a temporary name or a short file), the start-up sweep of
 * temporary files a crash left, and keys that would escape the bucket folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { destinationPrefixes } from '../../../src/streams/delivery/prefix.js';
import { checkObjectKey, FolderSink, sweepTemporaryFiles, type FolderSinkOptions } from '../../../src/streams/sinks/folder.js';
import { PermanentDeliveryError, type DeliveryBatch } from '../../../src/streams/sinks/sink.js';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
const freshRoot = (): string => {
  const root = mkdtempSync(path.join(tmpdir(), 'hako-folder-'));
  roots.push(root);
  return root;
};
const sinkIn = (root: string, options: Partial<FolderSinkOptions> = {}): FolderSink =>
  new FolderSink({ root, bucket: 'my-bucket', compression: 'UNCOMPRESSED', prefixes: destinationPrefixes(undefined, undefined), ...options });
const AT = Date.UTC(2024, 0, 31, 23, 59, 58);
const batch = (records: string[], extra: Partial<DeliveryBatch> = {}): DeliveryBatch => ({ stream: 'ds', version: 1, oldestArrivalMs: AT, records: records.map((r) => Buffer.from(r)), ...extra });
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('folder sink: keys and encodings', () => {
  it('default prefix from the oldest record, Firehose object name, no extension, records as sent', async () => {
    const root = freshRoot();
    const receipt = await sinkIn(root).deliver(batch(['a', 'b\n', 'c']));
    const [key] = receipt.locations;
    assert.match(key ?? '', new RegExp(`^2024/01/31/23/ds-1-2024-01-31-23-59-58-${UUID}$`));
    assert.equal(readFileSync(path.join(root, 'my-bucket', key ?? '')).toString(), 'ab\nc');
    assert.equal(receipt.bytes, 4);
  });

  it('gzip: a .gz object that gunzips to the records; FileExtension overrides the extension', async () => {
    const root = freshRoot();
    const [gz] = (await sinkIn(root, { compression: 'GZIP' }).deliver(batch(['{"x":1}\n', '{"x":2}\n']))).locations;
    assert.match(gz ?? '', /\.gz$/);
    assert.equal(gunzipSync(readFileSync(path.join(root, 'my-bucket', gz ?? ''))).toString(), '{"x":1}\n{"x":2}\n');
    const [json] = (await sinkIn(root, { compression: 'GZIP', fileExtension: '.json.gz' }).deliver(batch(['x']))).locations;
    assert.match(json ?? '', /-[0-9a-f-]{36}\.json\.gz$/);
    const [plain] = (await sinkIn(root, { fileExtension: '.ndjson' }).deliver(batch(['x']))).locations;
    assert.match(plain ?? '', /\.ndjson$/);
  });

  it('a batch with its records back to back (contiguous) is written from those buffers, records never read', async () => {
    const root = freshRoot();
    const contiguousBatch = (compression: FolderSinkOptions['compression']): DeliveryBatch => ({
      stream: 'ds',
      version: 1,
      oldestArrivalMs: AT,
      contiguous: [Buffer.from('{"x":1}\n{"x":2}\n'), Buffer.from('{"x":3}\n')],
      get records(): Buffer[] {
        throw new Error(`the ${compression} folder sink read records`);
      },
    });
    const [plain] = (await sinkIn(root).deliver(contiguousBatch('UNCOMPRESSED'))).locations;
    assert.equal(readFileSync(path.join(root, 'my-bucket', plain ?? '')).toString(), '{"x":1}\n{"x":2}\n{"x":3}\n');
    const [gz] = (await sinkIn(root, { compression: 'GZIP' }).deliver(contiguousBatch('GZIP'))).locations;
    assert.equal(gunzipSync(readFileSync(path.join(root, 'my-bucket', gz ?? ''))).toString(), '{"x":1}\n{"x":2}\n{"x":3}\n');
  });

  it('failed records go under the evaluated error output prefix', async () => {
    const root = freshRoot();
    const sink = sinkIn(root, { prefixes: destinationPrefixes('data/!{timestamp:yyyy}/', 'failed/!{firehose:error-output-type}/!{timestamp:MM}/') });
    const [key] = (await sink.deliver(batch(['bad'], { errorOutputType: 'processing-failed' }))).locations;
    assert.match(key ?? '', new RegExp(`^failed/processing-failed/01/ds-1-2024-01-31-23-59-58-${UUID}$`));
  });
});

describe('folder sink: atomic writes', () => {
  it('a reader walking the bucket during 24 writes of 2 MB objects only ever sees complete objects under final names', async () => {
    const root = freshRoot();
    const sink = sinkIn(root, { prefixes: destinationPrefixes('p/!{firehose:random-string}/', 'e/!{firehose:error-output-type}/') });
    const record = 'r'.repeat(1999) + '\n';
    const records = Array.from({ length: 1000 }, () => record); // 2,000,000 bytes an object
    const bucket = path.join(root, 'my-bucket');
    let done = false;
    let scans = 0;
    let seen = 0;
    const problems: string[] = [];
    const walk = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : []);
    const reader = (async () => {
      while (!done) {
        for (const file of walk(bucket)) {
          seen++;
          if (!/\/ds-1-2024-01-31-23-59-58-[0-9a-f-]{36}$/.test(file)) problems.push(`name ${file}`);
          else if (statSync(file).size !== 2_000_000) problems.push(`size ${statSync(file).size} of ${file}`);
        }
        scans++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 24; i += 4) await Promise.all(Array.from({ length: 4 }, () => sink.deliver(batch(records))));
    done = true;
    await reader;
    assert.deepEqual(problems, []);
    assert.ok(scans > 24 && seen > 0, `the reader interleaved with the writes (${scans} scans, ${seen} files seen)`);
    assert.equal(walk(bucket).length, 24);
    assert.deepEqual(readdirSync(path.join(root, '.hako-tmp')), [], 'no temporary file is left behind');
  });

  it('temporary files a crash left are swept at start, and only those', async () => {
    const root = freshRoot();
    mkdirSync(path.join(root, '.hako-tmp'), { recursive: true });
    writeFileSync(path.join(root, '.hako-tmp', 'a.tmp'), 'half');
    writeFileSync(path.join(root, '.hako-tmp', 'b.tmp'), 'half');
    await sinkIn(root).deliver(batch(['kept']));
    assert.equal(await sweepTemporaryFiles(root), 2);
    assert.deepEqual(readdirSync(path.join(root, '.hako-tmp')), []);
    assert.equal(readdirSync(path.join(root, 'my-bucket'), { recursive: true }).length, 5, 'the delivered object (and its 4 folders) stay');
    assert.equal(await sweepTemporaryFiles(freshRoot()), 0, 'no temporary folder: nothing to sweep');
  });
});

describe('folder sink: keys must stay inside the bucket folder', () => {
  for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', './a', 'a\\b', 'a/.']) {
    it(`refuses '${key}'`, () => assert.throws(() => checkObjectKey(key), PermanentDeliveryError));
  }
  it('accepts ordinary keys with dots and equals signs', () => {
    for (const key of ['2024/01/31/23/ds-1-x', 'dt=2024-01-31/a.b..c', '.hidden/x']) assert.doesNotThrow(() => checkObjectKey(key));
  });
  it('a prefix that evaluates to a path escaping the bucket fails permanently (no retry can fix it)', async () => {
    const sink = sinkIn(freshRoot(), { prefixes: destinationPrefixes('../outside/', undefined) });
    await assert.rejects(sink.deliver(batch(['x'])), PermanentDeliveryError);
  });
});
