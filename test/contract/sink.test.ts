/**
 * @module test/contract/sink.test — runs the Sink contract against every implementation: the object
 * folder, uncompressed and gzip (read back through gunzip).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { destinationPrefixes } from '../../src/streams/delivery/prefix.js';
import { FolderSink, type Compression } from '../../src/streams/sinks/folder.js';
import { readObjects } from '../streams/delivery/helpers.js';
import { runSinkContract, type SinkHarness } from './sink.contract.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folderHarness(compression: Compression): () => Promise<SinkHarness> {
  return async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-sink-'));
    dirs.push(root);
    const sink = new FolderSink({ root, bucket: 'bucket', compression, prefixes: destinationPrefixes('data/', 'errors/!{firehose:error-output-type}/') });
    const bucket = path.join(root, 'bucket');
    const under = (folder: string): Buffer[] => {
      try {
        return readObjects(path.join(bucket, folder)).map((object) => object.body);
      } catch {
        return []; // nothing delivered there yet
      }
    };
    return {
      sink,
      readData: async () => under('data'),
      readErrors: async () => under('errors'),
      // A file where the bucket folder should be: every mkdir and rename under it fails.
      breakDestination: async () => {
        mkdirSync(bucket, { recursive: true });
        renameSync(bucket, `${bucket}.aside`);
        writeFileSync(bucket, 'not a folder');
      },
      repairDestination: async () => {
        rmSync(bucket);
        renameSync(`${bucket}.aside`, bucket);
      },
    };
  };
}

runSinkContract('folder (uncompressed)', folderHarness('UNCOMPRESSED'));
runSinkContract('folder (gzip)', folderHarness('GZIP'));
