/**
 * @module test/contract/retained-store.contract — what every `RetainedStore` must do; each implementation's
 * test file calls `runRetainedStoreContract` with a factory for fresh, empty storage.
 *
 * Cases check the state on the store that applied the ops and again after `reopen` (close and reopen the
 * same storage), so a persistent store also proves that retained messages survive a restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/mqtt/message.js';
import type { RetainedOp, RetainedStore } from '../../src/mqtt/session/store.js';
import { awkwardMessages, makeMessage } from './fixtures.js';

export interface RetainedStoreHarness {
  store: RetainedStore;
  /** Closes the store and opens the same storage again (a memory store hands back itself). */
  reopen: () => Promise<RetainedStore>;
}

const put = (message: Message): RetainedOp => ({ kind: 'put', message });
const del = (topic: string): RetainedOp => ({ kind: 'delete', topic });

async function sortedAll(store: RetainedStore): Promise<Message[]> {
  return (await store.loadAll()).sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

function sortByTopic(messages: readonly Message[]): Message[] {
  return [...messages].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

async function checkNowAndAfterReopen(h: RetainedStoreHarness, check: (store: RetainedStore) => Promise<void>): Promise<void> {
  await check(h.store);
  h.store = await h.reopen();
  await check(h.store);
}

export function runRetainedStoreContract(name: string, make: () => Promise<RetainedStoreHarness>): void {
  const harness = async (): Promise<RetainedStoreHarness> => ({ ...(await make()) });

  describe(`RetainedStore contract: ${name}`, () => {
    it('starts empty and accepts an empty batch', async () => {
      const h = await harness();
      await h.store.apply([]);
      await checkNowAndAfterReopen(h, async (store) => assert.deepEqual(await store.loadAll(), []));
    });

    it('put then loadAll returns every Message field (binary and empty payloads, properties, expiry, origin)', async () => {
      const h = await harness();
      await h.store.apply(awkwardMessages.map(put));
      await checkNowAndAfterReopen(h, async (store) => {
        const loaded = await sortedAll(store);
        // deepStrictEqual compares prototypes: a payload that came back as a Uint8Array would fail here.
        assert.deepEqual(loaded, sortByTopic(awkwardMessages));
        for (const message of loaded) assert.ok(Buffer.isBuffer(message.payload));
      });
    });

    it('put on a topic that already has a retained message replaces it', async () => {
      const h = await harness();
      await h.store.apply([put(makeMessage({ topic: 'a', payload: Buffer.from('1') })), put(makeMessage({ topic: 'b' }))]);
      const replacement = makeMessage({ topic: 'a', payload: Buffer.from('2'), qos: 0, origin: undefined, properties: { contentType: 'x' } });
      await h.store.apply([put(replacement)]);
      await checkNowAndAfterReopen(h, async (store) => {
        assert.deepEqual(await sortedAll(store), [replacement, makeMessage({ topic: 'b' })]);
      });
    });

    it('delete removes the topic\'s message; deleting a topic with none is a no-op', async () => {
      const h = await harness();
      await h.store.apply([put(makeMessage({ topic: 'a' })), put(makeMessage({ topic: 'b' }))]);
      await h.store.apply([del('a'), del('never-retained')]);
      await checkNowAndAfterReopen(h, async (store) => assert.deepEqual(await store.loadAll(), [makeMessage({ topic: 'b' })]));
    });

    it('applies the ops of one batch in order', async () => {
      const h = await harness();
      const last = makeMessage({ topic: 'b', payload: Buffer.from('last') });
      await h.store.apply([put(makeMessage({ topic: 'a' })), del('a'), del('b'), put(makeMessage({ topic: 'b' })), put(last)]);
      await checkNowAndAfterReopen(h, async (store) => assert.deepEqual(await store.loadAll(), [last]));
    });

    it('a batch that fails part-way applies none of its ops, and the store keeps working', async () => {
      const h = await harness();
      const a = makeMessage({ topic: 'a' });
      const b = makeMessage({ topic: 'b' });
      await h.store.apply([put(a), put(b)]);
      // An op kind no store understands is the one failure every implementation must detect.
      const bogus = { kind: 'clear' } as unknown as RetainedOp;
      await assert.rejects(h.store.apply([put(makeMessage({ topic: 'a', payload: Buffer.from('new') })), del('b'), put(makeMessage({ topic: 'c' })), bogus]));
      await checkNowAndAfterReopen(h, async (store) => assert.deepEqual(await sortedAll(store), [a, b]));
      await h.store.apply([del('a')]);
      assert.deepEqual(await h.store.loadAll(), [b]);
    });

    it('stored messages do not change when the caller mutates what it passed to apply or got from loadAll', async () => {
      const h = await harness();
      const original = awkwardMessages[2]!;
      const props = original.properties!;
      const mine: Message = {
        ...original,
        payload: Buffer.from(original.payload),
        properties: { ...props, correlationData: Buffer.from(props.correlationData!), userProperties: { many: ['a'] } },
      };
      await h.store.apply([put(mine)]);
      const mutate = (m: Message): void => {
        m.payload.fill(0x2a);
        m.properties!.correlationData!.fill(0x2a);
        (m.properties!.userProperties!['many'] as string[]).push('mutated');
        m.properties!.contentType = 'mutated';
      };
      mutate(mine);
      mutate((await h.store.loadAll())[0]!);
      assert.deepEqual(await h.store.loadAll(), [{ ...original, properties: { ...props, userProperties: { many: ['a'] } } }]);
    });
  });
}
