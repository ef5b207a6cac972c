/**
 * @module mqtt/router/topic — pure rules for topic names and topic filters: validation (with a
 * human-readable reason), `$share/` parsing, and the reference matcher the trie is tested against.
 *
 * Nothing here allocates state or knows about subscriptions; the channel calls the validators before a
 * PUBLISH or SUBSCRIBE reaches the router, so the trie can assume well-formed input.
 */

export type TopicCheck = { ok: true } | { ok: false; reason: string };

/** Per-deployment limits (AWS IoT: 256 bytes, 8 levels). 0 means "no limit" for either. */
export interface TopicLimits {
  readonly maxLength: number;
  readonly maxLevels: number;
}

export interface SharedFilter {
  readonly group: string;
  readonly filter: string;
}

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;
const SHARE_PREFIX = '$share/';
/** AWS IoT caps share names at 128 characters; MQTT itself sets no bound. */
const MAX_SHARE_NAME = 128;
/** Topic names and filters must encode to at most 65535 bytes, whatever the configured limit [MQTT-4.7.3-3]. */
const MAX_WIRE_BYTES = 65535;
/** In `u` mode this matches only unpaired surrogates, which cannot be encoded as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const OK: TopicCheck = Object.freeze({ ok: true });

function fail(reason: string): TopicCheck {
  return { ok: false, reason };
}

/** Checks that apply to names and filters alike: emptiness, forbidden code points, size and depth. */
function checkCommon(text: string, noun: string, limits: TopicLimits): TopicCheck | undefined {
  if (text.length === 0) return fail(`${noun} must not be empty [MQTT-4.7.3-1]`); // [MQTT-4.7.3-1]
  if (text.includes('\u0000')) return fail(`${noun} must not contain U+0000 [MQTT-4.7.3-2]`); // [MQTT-4.7.3-2]
  if (LONE_SURROGATE.test(text)) return fail(`${noun} must be well-formed UTF-8: unpaired surrogate [MQTT-1.5.4-1]`);
  // UTF-16 length is a lower bound on UTF-8 length and 3× an upper bound, so most topics skip the count.
  const limit = limits.maxLength > 0 ? Math.min(limits.maxLength, MAX_WIRE_BYTES) : MAX_WIRE_BYTES;
  if (text.length * 3 > limit) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limit) return fail(`${noun} is ${bytes} bytes; at most ${limit}`);
  }
  if (limits.maxLevels > 0) {
    let levels = 1;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === SLASH) levels++;
    if (levels > limits.maxLevels) return fail(`${noun} has ${levels} levels; at most ${limits.maxLevels} allowed`);
  }
  return undefined;
}

/** Validates the topic of a PUBLISH (or a will, or a retained-message lookup). */
export function validateTopicName(topic: string, limits: TopicLimits): TopicCheck {
  const common = checkCommon(topic, 'topic', limits);
  if (common !== undefined) return common;
  for (let i = 0; i < topic.length; i++) {
    const c = topic.charCodeAt(i);
    if (c === PLUS || c === HASH) return fail('topic name must not contain wildcards [MQTT-3.3.2-2]'); // [MQTT-3.3.2-2]
  }
  return OK;
}

/**
 * Validates a SUBSCRIBE/UNSUBSCRIBE filter, including `$share/<group>/<filter>`. For a shared filter the
 * size and level limits apply to the inner filter, as AWS IoT excludes the `$share/<group>/` prefix.
 */
export function validateTopicFilter(filter: string, limits: TopicLimits): TopicCheck {
  if (filter.startsWith(SHARE_PREFIX)) {
    const slash = filter.indexOf('/', SHARE_PREFIX.length);
    const group = filter.slice(SHARE_PREFIX.length, slash === -1 ? undefined : slash);
    if (group.length === 0) return fail('share name must not be empty [MQTT-4.8.2-1]'); // [MQTT-4.8.2-1]
    if (/[+#]/.test(group)) return fail(`share name '${group}' must not contain '+' or '#' [MQTT-4.8.2-2]`); // [MQTT-4.8.2-2]
    const chars = [...group].length;
    if (chars > MAX_SHARE_NAME) return fail(`share name is ${chars} characters; at most ${MAX_SHARE_NAME}`);
    // [MQTT-4.8.2-2] the share name must be followed by '/' and a topic filter.
    if (slash === -1 || slash === filter.length - 1) {
      return fail(`shared subscription '${filter}' has no topic filter after the share name [MQTT-4.8.2-2]`);
    }
    const wireBytes = Buffer.byteLength(filter, 'utf8');
    // [MQTT-4.7.3-3] the whole filter, prefix included, still has to fit the wire format.
    if (wireBytes > MAX_WIRE_BYTES) return fail(`topic filter is ${wireBytes} bytes; at most ${MAX_WIRE_BYTES}`);
    return checkFilter(filter.slice(slash + 1), limits);
  }
  return checkFilter(filter, limits);
}

function checkFilter(filter: string, limits: TopicLimits): TopicCheck {
  const common = checkCommon(filter, 'topic filter', limits);
  if (common !== undefined) return common;
  const last = filter.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = filter.charCodeAt(i);
    if (c !== PLUS && c !== HASH) continue;
    const wholeStart = i === 0 || filter.charCodeAt(i - 1) === SLASH;
    const next = i === last ? SLASH : filter.charCodeAt(i + 1);
    if (c === PLUS) {
      // [MQTT-4.7.1-3] '+' must occupy an entire level.
      if (!wholeStart || next !== SLASH) return fail("'+' must occupy a whole level [MQTT-4.7.1-3]");
    } else {
      // [MQTT-4.7.1-2] '#' must be on its own in the last level.
      if (!wholeStart || next !== SLASH) return fail("'#' must occupy a whole level [MQTT-4.7.1-2]");
      if (i !== last) return fail("'#' must be the last level [MQTT-4.7.1-2]");
    }
  }
  return OK;
}

/** Splits `$share/<group>/<filter>`; undefined for ordinary filters. A missing inner filter comes back as ''. */
export function parseSharedFilter(filter: string): SharedFilter | undefined {
  if (!filter.startsWith(SHARE_PREFIX)) return undefined;
  const slash = filter.indexOf('/', SHARE_PREFIX.length);
  if (slash === -1) return { group: filter.slice(SHARE_PREFIX.length), filter: '' };
  return { group: filter.slice(SHARE_PREFIX.length, slash), filter: filter.slice(slash + 1) };
}

/**
 * Reference matcher: deliberately simple (split both, compare level by level) so that tests can use it as
 * the oracle for the trie. `filter` must be an ordinary (not `$share/`) valid filter.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // [MQTT-4.7.2-1] a leading wildcard does not match topics beginning with '$'.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    // [MQTT-4.7.1-2] '#' matches this level and everything below, including the parent itself.
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
