/**
 * @module test/contract/session-store.contract — what every `SessionStore` must do; each implementation's
 * test file calls `runSessionStoreContract` with a factory for fresh, empty storage.
 *
 * Most cases check the state twice: on the store that applied the ops and again after `reopen`, which
 * closes and reopens the same storage, so a persistent store also proves that the state survives a
 * restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboundEntry, SessionOp, SessionRecord, SessionStore, StoredSession, SubscriptionOptions } from '../../src/mqtt/session/store.js';
import { awkwardMessages, makeEntry } from './fixtures.js';

export interface SessionStoreHarness {
  store: SessionStore;
  /** Closes the store and opens the same storage again (a memory store hands back itself). */
  reopen: () => Promise<SessionStore>;
}

const options = (overrides: Partial<SubscriptionOptions> = {}): SubscriptionOptions => ({
  qos: 1,
  noLocal: false,
  retainAsPublished: false,
  retainHandling: 0,
  subscriptionId: undefined,
  ...overrides,
});

const record = (clientId: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  clientId,
  protocolVersion: 5,
  expiryInterval: 3600,
  disconnectedAt: undefined,
  peer: undefined,
  ...overrides,
});

const sessionPut = (session: SessionRecord): SessionOp => ({ kind: 'session.put', session });
const subPut = (clientId: string, filter: string, o = options()): SessionOp => ({ kind: 'subscription.put', clientId, filter, options: o });
const outPut = (clientId: string, entry: OutboundEntry): SessionOp => ({ kind: 'outbound.put', clientId, entry });

async function sortedSessions(store: SessionStore): Promise<StoredSession[]> {
  return (await store.loadSessions()).sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

async function seqs(store: SessionStore, clientId: string): Promise<number[]> {
  return (await store.loadOutbound(clientId)).map((e) => e.seq);
}

async function inbound(store: SessionStore, clientId: string): Promise<number[]> {
  return (await store.loadInbound(clientId)).sort((a, b) => a - b);
}

/** Runs `check` on the current store, reopens the storage, and runs it again. */
async function checkNowAndAfterReopen(h: SessionStoreHarness, check: (store: SessionStore) => Promise<void>): Promise<void> {
  await check(h.store);
  h.store = await h.reopen();
  await check(h.store);
}

export function runSessionStoreContract(name: string, make: () => Promise<SessionStoreHarness>): void {
  const harness = async (): Promise<SessionStoreHarness> => ({ ...(await make()) });

  describe(`SessionStore contract: ${name}`, () => {
    it('starts empty and accepts an empty batch', async () => {
      const h = await harness();
      await h.store.apply([]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await store.loadSessions(), []);
        assert.deepEqual(await store.loadOutbound('nobody'), []);
        assert.deepEqual(await store.loadInbound('nobody'), []);
      });
    });

    it('session.put + subscription.put: loadSessions returns each record with every subscription option', async () => {
      const h = await harness();
      const a = record('a', { protocolVersion: 4, expiryInterval: 0xffffffff, disconnectedAt: 1_767_225_600_123, peer: { kind: 'certificate', id: 'ab'.repeat(32) } });
      const b = record('b ü/#', { protocolVersion: 5, expiryInterval: 0, disconnectedAt: undefined, peer: { kind: 'access-key', id: 'AKIAAAAAAAAAAAAAAAAA' } });
      const aSubs = new Map<string, SubscriptionOptions>([
        ['a/+/x', options({ qos: 0, noLocal: true, retainAsPublished: true, retainHandling: 2, subscriptionId: 268_435_455 })],
        ['a/#', options({ qos: 2, retainHandling: 1, subscriptionId: 1 })],
        ['$share/g/a', options({ qos: 1, subscriptionId: undefined })],
      ]);
      await h.store.apply([sessionPut(a), sessionPut(b), ...[...aSubs].map(([filter, o]) => subPut('a', filter, o))]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await sortedSessions(store), [
          { ...a, subscriptions: aSubs },
          { ...b, subscriptions: new Map() },
        ]);
      });
    });

    it('session.put on an existing client replaces the record and keeps its subscriptions, outbound and inbound', async () => {
      const h = await harness();
      await h.store.apply([
        sessionPut(record('c')),
        subPut('c', 'x/#'),
        outPut('c', makeEntry(1)),
        { kind: 'inbound.put', clientId: 'c', packetId: 7 },
      ]);
      const updated = record('c', { expiryInterval: 60, disconnectedAt: 1_700_000_000_000, peer: { kind: 'certificate', id: 'cd'.repeat(32) } });
      await h.store.apply([sessionPut(updated)]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await store.loadSessions(), [{ ...updated, subscriptions: new Map([['x/#', options()]]) }]);
        assert.deepEqual(await seqs(store, 'c'), [1]);
        assert.deepEqual(await inbound(store, 'c'), [7]);
      });
    });

    it('subscription.put replaces the options of the same filter; subscription.delete removes only that filter', async () => {
      const h = await harness();
      await h.store.apply([sessionPut(record('s')), subPut('s', 'a', options({ subscriptionId: 5 })), subPut('s', 'b'), subPut('s', 'c')]);
      await h.store.apply([
        subPut('s', 'a', options({ qos: 2, subscriptionId: undefined, retainHandling: 1 })),
        { kind: 'subscription.delete', clientId: 's', filter: 'b' },
        { kind: 'subscription.delete', clientId: 's', filter: 'never-subscribed' },
        { kind: 'subscription.delete', clientId: 'no-such-client', filter: 'c' },
      ]);
      await checkNowAndAfterReopen(h, async (store) => {
        const [session] = await store.loadSessions();
        assert.deepEqual(session?.subscriptions, new Map([
          ['a', options({ qos: 2, subscriptionId: undefined, retainHandling: 1 })],
          ['c', options()],
        ]));
      });
    });

    it('outbound.put upserts on (clientId, seq), outbound.delete removes one entry, loadOutbound is in ascending seq', async () => {
      const h = await harness();
      await h.store.apply([
        sessionPut(record('o')),
        sessionPut(record('p')),
        ...[30, 2, 1_000_000, 7, 1].map((seq) => outPut('o', makeEntry(seq))),
        outPut('p', makeEntry(7)),
      ]);
      const sent = makeEntry(7, { state: 'sent', packetId: 65535, qos: 2 });
      await h.store.apply([
        outPut('o', sent),
        { kind: 'outbound.delete', clientId: 'o', seq: 30 },
        { kind: 'outbound.delete', clientId: 'o', seq: 999 },
        { kind: 'outbound.delete', clientId: 'nobody', seq: 1 },
      ]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await seqs(store, 'o'), [1, 2, 7, 1_000_000]);
        const outbound = await store.loadOutbound('o');
        assert.deepEqual(outbound.find((e) => e.seq === 7), sent);
        assert.deepEqual(await store.loadOutbound('p'), [makeEntry(7)], 'another client with the same seq is untouched');
      });
    });

    it('outbound entries keep every Message and entry field (binary and empty payloads, properties, expiry, origin)', async () => {
      const h = await harness();
      const entries: OutboundEntry[] = awkwardMessages.map((message, i) =>
        makeEntry(i + 1, {
          message,
          qos: ([0, 1, 2] as const)[i % 3]!,
          packetId: i % 2 === 0 ? undefined : i + 100,
          state: (['queued', 'sent', 'released'] as const)[i % 3]!,
          subscriptionIds: [undefined, [], [1, 268_435_455]][i % 3],
          retain: i % 2 === 0,
        }),
      );
      await h.store.apply([sessionPut(record('m')), ...entries.map((e) => outPut('m', e))]);
      await checkNowAndAfterReopen(h, async (store) => {
        const loaded = await store.loadOutbound('m');
        // deepStrictEqual compares prototypes: a payload that came back as a Uint8Array would fail here.
        assert.deepEqual(loaded, entries);
        for (const entry of loaded) {
          assert.ok(Buffer.isBuffer(entry.message.payload));
          const correlation = entry.message.properties?.correlationData;
          if (correlation !== undefined) assert.ok(Buffer.isBuffer(correlation));
        }
      });
    });

    it('inbound.put is idempotent, inbound.delete removes one id, ids are per client', async () => {
      const h = await harness();
      await h.store.apply([
        sessionPut(record('i')),
        ...[5, 1, 65535, 5].map((packetId): SessionOp => ({ kind: 'inbound.put', clientId: 'i', packetId })),
        { kind: 'inbound.put', clientId: 'j', packetId: 1 },
      ]);
      await h.store.apply([
        { kind: 'inbound.delete', clientId: 'i', packetId: 1 },
        { kind: 'inbound.delete', clientId: 'i', packetId: 2 },
        { kind: 'inbound.delete', clientId: 'nobody', packetId: 5 },
      ]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await inbound(store, 'i'), [5, 65535]);
        assert.deepEqual(await inbound(store, 'j'), [1]);
      });
    });

    it('session.delete removes the session with its subscriptions, outbound entries and inbound ids, and only those', async () => {
      const h = await harness();
      const fill = (clientId: string): SessionOp[] => [
        sessionPut(record(clientId)),
        subPut(clientId, 'f/#'),
        outPut(clientId, makeEntry(1)),
        outPut(clientId, makeEntry(2)),
        { kind: 'inbound.put', clientId, packetId: 9 },
      ];
      await h.store.apply([...fill('gone'), ...fill('kept')]);
      await h.store.apply([{ kind: 'session.delete', clientId: 'gone' }, { kind: 'session.delete', clientId: 'never-existed' }]);
      await h.store.apply([sessionPut(record('gone'))]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await sortedSessions(store), [
          { ...record('gone'), subscriptions: new Map() },
          { ...record('kept'), subscriptions: new Map([['f/#', options()]]) },
        ]);
        assert.deepEqual(await store.loadOutbound('gone'), []);
        assert.deepEqual(await store.loadInbound('gone'), []);
        assert.deepEqual(await seqs(store, 'kept'), [1, 2]);
        assert.deepEqual(await inbound(store, 'kept'), [9]);
      });
    });

    it('applies the ops of one batch in order', async () => {
      const h = await harness();
      await h.store.apply([
        outPut('q', makeEntry(1)),
        { kind: 'outbound.delete', clientId: 'q', seq: 1 },
        { kind: 'outbound.delete', clientId: 'q', seq: 2 },
        outPut('q', makeEntry(2)),
        outPut('q', makeEntry(3, { state: 'queued' })),
        outPut('q', makeEntry(3, { state: 'sent', packetId: 3 })),
        { kind: 'inbound.put', clientId: 'q', packetId: 4 },
        { kind: 'inbound.delete', clientId: 'q', packetId: 4 },
        subPut('q', 'old'),
        // A clean-start takeover: the old session goes, the new one is built in the same batch.
        { kind: 'session.delete', clientId: 'q' },
        sessionPut(record('q')),
        subPut('q', 'new'),
        outPut('q', makeEntry(10)),
      ]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await store.loadSessions(), [{ ...record('q'), subscriptions: new Map([['new', options()]]) }]);
        assert.deepEqual(await seqs(store, 'q'), [10]);
        assert.deepEqual(await store.loadInbound('q'), []);
      });
      await h.store.apply([
        outPut('q', makeEntry(2)),
        outPut('q', makeEntry(3, { state: 'sent', packetId: 3 })),
        outPut('q', makeEntry(3, { state: 'released', packetId: 3 })),
      ]);
      assert.deepEqual(await h.store.loadOutbound('q'), [makeEntry(2), makeEntry(3, { state: 'released', packetId: 3 }), makeEntry(10)]);
    });

    it('a batch that fails part-way applies none of its ops, and the store keeps working', async () => {
      const h = await harness();
      const before: SessionOp[] = [
        sessionPut(record('x', { expiryInterval: 10 })),
        subPut('x', 'keep/#'),
        outPut('x', makeEntry(1)),
        { kind: 'inbound.put', clientId: 'x', packetId: 1 },
        sessionPut(record('y')),
        outPut('y', makeEntry(1)),
      ];
      await h.store.apply(before);
      // An op kind no store understands is the one failure every implementation must detect; it comes
      // last, after ops of every kind that would otherwise have changed both sessions.
      const bogus = { kind: 'outbound.truncate', clientId: 'x' } as unknown as SessionOp;
      const failing: SessionOp[] = [
        sessionPut(record('x', { expiryInterval: 99, disconnectedAt: 5 })),
        sessionPut(record('z')),
        subPut('x', 'new/#'),
        { kind: 'subscription.delete', clientId: 'x', filter: 'keep/#' },
        outPut('x', makeEntry(1, { state: 'sent', packetId: 1 })),
        outPut('x', makeEntry(2)),
        { kind: 'outbound.delete', clientId: 'y', seq: 1 },
        { kind: 'inbound.put', clientId: 'x', packetId: 2 },
        { kind: 'inbound.delete', clientId: 'x', packetId: 1 },
        { kind: 'session.delete', clientId: 'y' },
        bogus,
      ];
      await assert.rejects(h.store.apply(failing));
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await sortedSessions(store), [
          { ...record('x', { expiryInterval: 10 }), subscriptions: new Map([['keep/#', options()]]) },
          { ...record('y'), subscriptions: new Map() },
        ]);
        assert.deepEqual(await store.loadOutbound('x'), [makeEntry(1)]);
        assert.deepEqual(await store.loadOutbound('y'), [makeEntry(1)]);
        assert.deepEqual(await inbound(store, 'x'), [1]);
      });
      await h.store.apply([outPut('x', makeEntry(2))]);
      assert.deepEqual(await seqs(h.store, 'x'), [1, 2]);
    });

    it('stored state does not change when the caller mutates objects it passed to apply or got from a load', async () => {
      const h = await harness();
      const session = record('u');
      const subscription = options({ subscriptionId: 1 });
      // Copied first: the mutations below must not reach the shared fixture.
      const entry = copyByHand(makeEntry(1, { subscriptionIds: [1], message: awkwardMessages[2]! }));
      const copy = copyByHand(entry);
      await h.store.apply([sessionPut(session), subPut('u', 'f', subscription), outPut('u', entry)]);
      mutateEntry(entry);
      session.expiryInterval = 1;
      subscription.qos = 0;
      mutateEntry((await h.store.loadOutbound('u'))[0]!);
      (await h.store.loadSessions())[0]!.subscriptions.clear();
      assert.deepEqual(await h.store.loadOutbound('u'), [copy]);
      assert.deepEqual(await h.store.loadSessions(), [{ ...record('u'), subscriptions: new Map([['f', options({ subscriptionId: 1 })]]) }]);
    });
  });
}

/** A deep copy made by hand, so the test does not rely on the copying it is checking. */
function copyByHand(entry: OutboundEntry): OutboundEntry {
  const p = entry.message.properties;
  const properties = p === undefined ? undefined : { ...p };
  if (p?.correlationData !== undefined) properties!.correlationData = Buffer.from(p.correlationData);
  if (p?.userProperties !== undefined) properties!.userProperties = JSON.parse(JSON.stringify(p.userProperties));
  return {
    ...entry,
    subscriptionIds: entry.subscriptionIds === undefined ? undefined : [...entry.subscriptionIds],
    message: { ...entry.message, payload: Buffer.from(entry.message.payload), properties },
  };
}

function mutateEntry(entry: OutboundEntry): void {
  entry.message.payload.fill(0x2a);
  entry.subscriptionIds?.push(99);
  entry.state = 'released';
  const props = entry.message.properties;
  props?.correlationData?.fill(0x2a);
  const many = props?.userProperties?.['many'];
  if (Array.isArray(many)) many.push('mutated');
  if (props?.userProperties) props.userProperties['added'] = 'mutated';
  if (props) props.contentType = 'mutated';
}
