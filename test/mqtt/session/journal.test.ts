import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Journal } from '../../../src/mqtt/session/journal.js';
import { MemorySessionStore } from '../../../src/mqtt/session/memory-session-store.js';
import { MemoryRetainedStore } from '../../../src/mqtt/session/memory-retained-store.js';
import type { SessionOp, SessionStore } from '../../../src/mqtt/session/store.js';

const sessionOp = (clientId: string): SessionOp => ({
  kind: 'session.put',
  session: { clientId, protocolVersion: 5, expiryInterval: 60, disconnectedAt: undefined, peer: undefined },
});

function journalOver(store: SessionStore, errors: unknown[] = [], callbackErrors: unknown[] = []): Journal {
  return new Journal(store, new MemoryRetainedStore(), (e) => errors.push(e), (e) => callbackErrors.push(e));
}

test('whenDurable runs at once when nothing is pending', () => {
  const journal = journalOver(new MemorySessionStore());
  let ran = false;
  journal.whenDurable(() => (ran = true));
  assert.equal(ran, true);
});

test('whenDurable waits until the recorded ops are in the store, then runs callbacks in order', async () => {
  const store = new MemorySessionStore();
  const journal = journalOver(store);
  const order: string[] = [];
  journal.recordSession(sessionOp('a'));
  journal.whenDurable((error) => order.push(`first:${String(error)}`));
  // Nothing new recorded, but an earlier callback waits: this one must not overtake it [MQTT-4.6.0-2].
  journal.whenDurable(() => order.push('second'));
  assert.deepEqual(order, []);
  await journal.flush();
  assert.deepEqual(order, ['first:undefined', 'second']);
  assert.deepEqual((await store.loadSessions()).map((s) => s.clientId), ['a']);
});

test('a failed batch hands its error to the callbacks so nothing is acknowledged', async () => {
  const failure = new Error('disk full');
  const failing: SessionStore = Object.assign(new MemorySessionStore(), { apply: async () => Promise.reject(failure) });
  const errors: unknown[] = [];
  const journal = journalOver(failing, errors);
  const seen: unknown[] = [];
  journal.recordSession(sessionOp('a'));
  journal.whenDurable((error) => seen.push(error));
  await journal.flush();
  assert.deepEqual(seen, [failure]);
  assert.deepEqual(errors, [failure]);
});

test('a callback that throws is reported and the callbacks behind it still run', async () => {
  const callbackErrors: unknown[] = [];
  const journal = journalOver(new MemorySessionStore(), [], callbackErrors);
  let later = false;
  journal.recordSession(sessionOp('a'));
  journal.whenDurable(() => {
    throw new Error('handler bug');
  });
  journal.whenDurable(() => (later = true));
  await journal.flush();
  assert.equal(later, true);
  assert.deepEqual(callbackErrors.map((e) => (e as Error).message), ['handler bug']);
});

test('ops recorded while a batch is being applied go in the next batch, in order', async () => {
  const batches: string[][] = [];
  const store = new MemorySessionStore();
  const apply = store.apply.bind(store);
  store.apply = async (ops) => {
    batches.push(ops.map((op) => (op.kind === 'session.put' ? op.session.clientId : op.kind)));
    await apply(ops);
  };
  const journal = journalOver(store);
  journal.recordSession(sessionOp('a'));
  journal.recordSession(sessionOp('b'));
  await new Promise((resolve) => setImmediate(resolve));
  journal.recordSession(sessionOp('c'));
  await journal.flush();
  assert.deepEqual(batches, [['a', 'b'], ['c']]);
});
