/**
 * @module shadow/store — where shadow documents live: the `ShadowStore` interface the shadow service uses,
 * and `RecordShadowStore`, its implementation over the generic `RecordStore` (collection
 * `shadow.documents`, key `<thing>\n<shadow name>`, the name empty for the classic shadow).
 *
 * Documents are immutable values: `put` takes ownership of the document and freezes it, and `get` returns
 * that frozen document. The document module never mutates its inputs (an update shares the untouched
 * subtrees of the previous document), so nothing is copied on the update path; freezing makes a stray
 * write throw instead of silently changing what is stored.
 *
 * Deleting a shadow leaves a tombstone with its last version and the time of deletion, so a shadow
 * re-created soon after continues the old numbering [spec §3.3 (4)]; the service decides how long that
 * memory counts. Every write is durable when its promise resolves, so the service can publish
 * `…/accepted` only after the change is safe.
 */

import type { RecordCollection, RecordStore } from '../store/records.js';
import type { ShadowDocument } from './document/index.js';

/** The last version of a deleted shadow and when it was deleted (epoch ms). */
export interface DeletedShadow {
  version: number;
  deletedAt: number;
}

export interface ShadowStore {
  /** The live document (frozen), or undefined when the shadow does not exist (never created, or deleted). */
  get(thingName: string, shadowName: string | undefined): Promise<ShadowDocument | undefined>;
  /** Creates or replaces the document, taking ownership of it (it is frozen); durable when resolved. */
  put(thingName: string, shadowName: string | undefined, document: ShadowDocument): Promise<void>;
  /** Removes the live document (if any) and remembers its version; durable when resolved. */
  delete(thingName: string, shadowName: string | undefined, deletedAt: number): Promise<void>;
  /** The remembered last version of a deleted shadow, if it was deleted and not re-created since. */
  deleted(thingName: string, shadowName: string | undefined): Promise<DeletedShadow | undefined>;
  /** Names of the thing's live named shadows, sorted; never the classic shadow. */
  listNamed(thingName: string): Promise<string[]>;
}

/** What one record of `shadow.documents` holds. */
type ShadowRecord = { document: ShadowDocument } | { deleted: DeletedShadow };

export const SHADOW_COLLECTION = 'shadow.documents';

function keyOf(thingName: string, shadowName: string | undefined): string {
  return `${thingName}\n${shadowName ?? ''}`;
}

/**
 * `ShadowStore` over a `RecordStore`. Like the registry it keeps everything in memory (loaded by `open`)
 * and writes each change through before resolving.
 */
export class RecordShadowStore implements ShadowStore {
  readonly #collection: RecordCollection<ShadowRecord>;
  readonly #records: Map<string, ShadowRecord>;
  /** thing → names of its live named shadows. */
  readonly #named = new Map<string, Set<string>>();

  private constructor(collection: RecordCollection<ShadowRecord>, records: Map<string, ShadowRecord>) {
    this.#collection = collection;
    this.#records = records;
    for (const [key, record] of records) {
      if (!('document' in record)) continue;
      const [thingName = '', shadowName = ''] = key.split('\n');
      if (shadowName !== '') this.#index(thingName, shadowName, true);
    }
  }

  static async open(records: RecordStore): Promise<RecordShadowStore> {
    const collection = records.collection<ShadowRecord>(SHADOW_COLLECTION);
    const loaded = await collection.loadAll();
    for (const record of loaded.values()) if ('document' in record) deepFreeze(record.document);
    return new RecordShadowStore(collection, loaded);
  }

  async get(thingName: string, shadowName: string | undefined): Promise<ShadowDocument | undefined> {
    return this.peek(thingName, shadowName);
  }

  /** The stored document now, without waiting: every document is held in memory (rules read it). */
  peek(thingName: string, shadowName: string | undefined): ShadowDocument | undefined {
    const record = this.#records.get(keyOf(thingName, shadowName));
    return record !== undefined && 'document' in record ? record.document : undefined;
  }

  async put(thingName: string, shadowName: string | undefined, document: ShadowDocument): Promise<void> {
    const key = keyOf(thingName, shadowName);
    const record: ShadowRecord = { document: deepFreeze(document) };
    await this.#collection.put(key, record);
    this.#records.set(key, record);
    if (shadowName !== undefined) this.#index(thingName, shadowName, true);
  }

  async delete(thingName: string, shadowName: string | undefined, deletedAt: number): Promise<void> {
    const key = keyOf(thingName, shadowName);
    const record = this.#records.get(key);
    if (record === undefined || !('document' in record)) return;
    const tombstone: ShadowRecord = { deleted: { version: record.document.version, deletedAt } };
    await this.#collection.put(key, tombstone);
    this.#records.set(key, tombstone);
    if (shadowName !== undefined) this.#index(thingName, shadowName, false);
  }

  async deleted(thingName: string, shadowName: string | undefined): Promise<DeletedShadow | undefined> {
    const record = this.#records.get(keyOf(thingName, shadowName));
    return record !== undefined && 'deleted' in record ? { ...record.deleted } : undefined;
  }

  async listNamed(thingName: string): Promise<string[]> {
    return [...(this.#named.get(thingName) ?? [])].sort();
  }

  #index(thingName: string, shadowName: string, live: boolean): void {
    let names = this.#named.get(thingName);
    if (live) {
      if (names === undefined) this.#named.set(thingName, (names = new Set()));
      names.add(shadowName);
    } else if (names !== undefined) {
      names.delete(shadowName);
      if (names.size === 0) this.#named.delete(thingName);
    }
  }
}

/** Freezes a value and everything under it; stops at frozen subtrees (shared with an earlier document). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key in value) deepFreeze(value[key]);
  return value;
}
