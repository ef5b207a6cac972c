/**
 * @module mqtt/router/trie — `SubscriptionTrie<V>`, the broker's hot path: a tree of topic-filter levels
 * holding, for each filter, a map of key (usually a client id) to value, and matching a topic name
 * against every stored filter in one walk.
 *
 * Filters must already be valid ordinary filters (see `validateTopicFilter`); the trie does not re-check.
 */

export type TrieVisitor<V> = (key: string, value: V, filter: string) => void;

/** One level of the tree. Wildcard children live in their own fields so matching never hashes '+' or '#'. */
class TrieNode<V> {
  children: Map<string, TrieNode<V>> | undefined = undefined;
  plus: TrieNode<V> | undefined = undefined;
  hash: TrieNode<V> | undefined = undefined;
  /** Entries of the filter that ends at this node; undefined when none, so empty nodes can be pruned. */
  entries: Map<string, V> | undefined = undefined;
  /** The filter ending here, kept so visitors get it without re-joining levels on every match. */
  filter = '';

  constructor(
    readonly parent: TrieNode<V> | undefined,
    readonly level: string,
  ) {}

  isEmpty(): boolean {
    return this.entries === undefined && this.children === undefined && this.plus === undefined && this.hash === undefined;
  }
}

const DOLLAR = 0x24;
/** Walk position meaning "no levels left". */
const DONE = -1;

export class SubscriptionTrie<V> {
  readonly #root = new TrieNode<V>(undefined, '');
  #size = 0;
  #nodes = 0;

  /** Total (filter, key) entries. */
  get size(): number {
    return this.#size;
  }

  /** Nodes below the root; exposed so tests and metrics can see that removal prunes. */
  get nodeCount(): number {
    return this.#nodes;
  }

  /** Stores `value` under (filter, key); true if the key was new for that filter, false if it replaced one. */
  add(filter: string, key: string, value: V): boolean {
    let node = this.#root;
    for (const level of filter.split('/')) node = this.#child(node, level);
    if (node.entries === undefined) {
      node.entries = new Map();
      node.filter = filter;
    }
    const isNew = !node.entries.has(key);
    node.entries.set(key, value);
    if (isNew) this.#size++;
    return isNew;
  }

  get(filter: string, key: string): V | undefined {
    return this.#find(filter)?.entries?.get(key);
  }

  /** Removes (filter, key); true if it was present. Nodes left empty are unlinked up to the root. */
  remove(filter: string, key: string): boolean {
    const node = this.#find(filter);
    if (node?.entries === undefined || !node.entries.delete(key)) return false;
    this.#size--;
    if (node.entries.size === 0) node.entries = undefined;
    this.#prune(node);
    return true;
  }

  /** Calls `visit` once per (filter, key) whose filter matches `topic`. */
  match(topic: string, visit: TrieVisitor<V>): void {
    if (this.#size === 0) return;
    const root = this.#root;
    // The topic is walked by index rather than split: one substring per level looked up, no array.
    let end = topic.indexOf('/');
    const next = end === -1 ? DONE : end + 1;
    if (end === -1) end = topic.length;
    // [MQTT-4.7.2-1] topics starting with '$' are not matched by a leading '+' or '#'.
    if (topic.charCodeAt(0) !== DOLLAR) {
      if (root.hash !== undefined) emit(root.hash, visit);
      if (root.plus !== undefined) walk(root.plus, topic, next, visit);
    }
    const child = root.children?.get(topic.slice(0, end));
    if (child !== undefined) walk(child, topic, next, visit);
  }

  #child(node: TrieNode<V>, level: string): TrieNode<V> {
    if (level === '+') return (node.plus ??= this.#newNode(node, level));
    if (level === '#') return (node.hash ??= this.#newNode(node, level));
    node.children ??= new Map();
    let child = node.children.get(level);
    if (child === undefined) {
      child = this.#newNode(node, level);
      node.children.set(level, child);
    }
    return child;
  }

  #newNode(parent: TrieNode<V>, level: string): TrieNode<V> {
    this.#nodes++;
    return new TrieNode(parent, level);
  }

  #find(filter: string): TrieNode<V> | undefined {
    let node: TrieNode<V> | undefined = this.#root;
    for (const level of filter.split('/')) {
      if (level === '+') node = node.plus;
      else if (level === '#') node = node.hash;
      else node = node.children?.get(level);
      if (node === undefined) return undefined;
    }
    return node;
  }

  #prune(start: TrieNode<V>): void {
    let node = start;
    while (node.parent !== undefined && node.isEmpty()) {
      const parent: TrieNode<V> = node.parent;
      if (parent.plus === node) parent.plus = undefined;
      else if (parent.hash === node) parent.hash = undefined;
      else if (parent.children !== undefined) {
        parent.children.delete(node.level);
        if (parent.children.size === 0) parent.children = undefined;
      }
      this.#nodes--;
      node = parent;
    }
  }
}

/**
 * `node` has matched the topic up to `start`, the index where the next level begins, or `DONE` when every
 * level is consumed (distinct from `start === topic.length`, which is a trailing empty level as in 'a/').
 */
function walk<V>(node: TrieNode<V>, topic: string, start: number, visit: TrieVisitor<V>): void {
  // [MQTT-4.7.1-2] '#' matches the remaining levels, including none at all ('a/#' matches 'a').
  if (node.hash !== undefined) emit(node.hash, visit);
  if (start === DONE) {
    if (node.entries !== undefined) emit(node, visit);
    return;
  }
  const children = node.children;
  if (node.plus === undefined && children === undefined) return;
  let end = topic.indexOf('/', start);
  const next = end === -1 ? DONE : end + 1;
  if (end === -1) end = topic.length;
  if (node.plus !== undefined) walk(node.plus, topic, next, visit);
  if (children === undefined) return;
  const child = children.get(topic.slice(start, end));
  if (child !== undefined) walk(child, topic, next, visit);
}

function emit<V>(node: TrieNode<V>, visit: TrieVisitor<V>): void {
  const entries = node.entries;
  if (entries === undefined) return;
  const filter = node.filter;
  for (const [key, value] of entries) visit(key, value, filter);
}
