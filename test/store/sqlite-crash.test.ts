/**
 * @module test/store/sqlite-crash.test — `SqliteSessionStore.apply` keeps its durability promise when the
 * process is killed with SIGKILL straight after the batch resolves.
 *
 * A child process applies the batches, prints "applied" and idles; the parent kills it as soon as it reads
 * that line, then reopens the file. The child is inline JS rather than a compiled fixture because
 * `node --test dist/test/` would pick up any .js file under test/ and run it as a test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { OutboundEntry } from '../../src/mqtt/session/store.js';
import { SqliteSessionStore } from '../../src/mqtt/session/sqlite-session-store.js';
import { openSqlite } from '../../src/store/sqlite.js';

const BATCHES = 10;
const PER_BATCH = 100;

// Runs in the parent and, through its source text, in the child: keep it plain JS with no imports.
function entryFor(seq: number, state: 'queued' | 'sent'): OutboundEntry {
  const payload = Buffer.alloc(64, seq & 0xff);
  payload.writeUInt32BE(seq, 0);
  return {
    seq,
    message: {
      topic: `crash/${seq}`,
      payload,
      qos: 1,
      retain: false,
      properties: { correlationData: Buffer.from([0, seq & 0xff]), userProperties: { seq: String(seq) } },
      expiresAt: undefined,
      origin: 'publisher',
    },
    qos: 1,
    packetId: state === 'sent' ? (seq % 65535) + 1 : undefined,
    state,
    subscriptionIds: [seq],
    retain: false,
  };
}

function childScript(file: string): string {
  const module = (relative: string): string => JSON.stringify(pathToFileURL(path.join(import.meta.dirname, relative)).href);
  return `
    import { openSqlite } from ${module('../../src/store/sqlite.js')};
    import { SqliteSessionStore } from ${module('../../src/mqtt/session/sqlite-session-store.js')};
    ${entryFor.toString()}
    const store = new SqliteSessionStore(openSqlite(${JSON.stringify(file)}));
    await store.apply([{ kind: 'session.put', session: { clientId: 'crash', protocolVersion: 5, expiryInterval: 60, disconnectedAt: undefined } }]);
    for (let b = 0; b < ${BATCHES}; b++) {
      const ops = [];
      for (let i = 0; i < ${PER_BATCH}; i++) ops.push({ kind: 'outbound.put', clientId: 'crash', entry: entryFor(b * ${PER_BATCH} + i, 'queued') });
      await store.apply(ops);
    }
    // The last batch, the one most likely to be lost, deletes and upserts as well as inserting.
    const last = [];
    for (let seq = 0; seq < 10; seq++) last.push({ kind: 'outbound.delete', clientId: 'crash', seq });
    for (let seq = 10; seq < 20; seq++) last.push({ kind: 'outbound.put', clientId: 'crash', entry: entryFor(seq, 'sent') });
    last.push({ kind: 'inbound.put', clientId: 'crash', packetId: 42 });
    await store.apply(last);
    process.stdout.write('applied\\n');
    setInterval(() => {}, 1 << 30); // idle until killed; the database is never closed
  `;
}

/** Spawns the child, resolves once it has printed "applied", kills it with SIGKILL and waits for it to die. */
async function applyThenKill(file: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('applied\n')) resolve();
      });
      child.on('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before "applied":\n${stderr}`)));
      child.on('error', reject);
    });
    child.kill('SIGKILL');
    return await exited;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hako-sqlite-crash-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

it('SqliteSessionStore: every batch whose apply resolved is there after the process is killed with SIGKILL', { timeout: 60_000 }, async () => {
  const file = path.join(dir, 'hako.db');
  const signal = await applyThenKill(file);
  assert.equal(signal, 'SIGKILL');
  // The child never closed the database, so what it wrote is still in the WAL, waiting for recovery.
  assert.ok(fs.statSync(`${file}-wal`).size > 0, 'expected an uncheckpointed -wal file');

  const db = openSqlite(file);
  try {
    const store = new SqliteSessionStore(db);
    const expected: OutboundEntry[] = [];
    for (let seq = 10; seq < BATCHES * PER_BATCH; seq++) expected.push(entryFor(seq, seq < 20 ? 'sent' : 'queued'));
    assert.deepEqual(await store.loadOutbound('crash'), expected);
    assert.deepEqual(await store.loadInbound('crash'), [42]);
    assert.equal((await store.loadSessions()).length, 1);
  } finally {
    db.close();
  }
});
