/**
 * @module bench/store — how many outbound.put ops per second `SqliteSessionStore.apply` sustains for
 * batches of 1, 10 and 100 ops with 64-byte payloads.
 *
 * Each batch is one transaction and one WAL commit, so the per-batch cost dominates small batches; the
 * broker batches one event-loop turn of ops, and this shows what that buys. Run: `node dist/bench/store.js
 * [seconds-per-case]`. Not part of the test suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteSessionStore } from '../src/mqtt/session/sqlite-session-store.js';
import type { Message } from '../src/mqtt/message.js';
import type { SessionOp } from '../src/mqtt/session/store.js';
import { openSqlite } from '../src/store/sqlite.js';

const seconds = Number(process.argv[2] ?? 2);
const batchSizes = [1, 10, 100];

const message: Message = {
  topic: 'bench/device-0001/telemetry',
  payload: Buffer.alloc(64, 0x61),
  qos: 1,
  retain: false,
  properties: undefined,
  expiresAt: undefined,
  origin: 'device-0001',
};

async function measure(store: SqliteSessionStore, batchSize: number, clientId: string): Promise<{ batches: number; ops: number }> {
  let seq = 0;
  const runFor = async (ms: number): Promise<{ batches: number; elapsed: number }> => {
    let batches = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      const ops: SessionOp[] = [];
      for (let i = 0; i < batchSize; i++) {
        ops.push({
          kind: 'outbound.put',
          clientId,
          entry: { seq: seq++, message, qos: 1, packetId: undefined, state: 'queued', subscriptionIds: undefined, retain: false },
        });
      }
      await store.apply(ops);
      batches++;
      now = performance.now();
    }
    return { batches, elapsed: now - start };
  };
  await runFor(200); // warm-up: statement caches, page cache, JIT
  const { batches, elapsed } = await runFor(seconds * 1000);
  return { batches: (batches * 1000) / elapsed, ops: (batches * batchSize * 1000) / elapsed };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hako-bench-store-'));
const db = openSqlite(path.join(dir, 'hako.db'));
try {
  const store = new SqliteSessionStore(db);
  console.log(`SqliteSessionStore.apply, outbound.put, 64-byte payload, ${seconds}s per case, ${dir}`);
  console.log('batch size | batches/s | ops/s');
  for (const size of batchSizes) {
    const result = await measure(store, size, `bench-${size}`);
    console.log(`${String(size).padStart(10)} | ${Math.round(result.batches).toLocaleString('en').padStart(9)} | ${Math.round(result.ops).toLocaleString('en')}`);
  }
} finally {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
