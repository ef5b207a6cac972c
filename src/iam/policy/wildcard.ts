/**
 * @module iam/policy/wildcard — IAM glob matching: `*` matches any run of characters (including `/` and
 * `:`), `?` matches exactly one character, everything else is literal. MQTT's `+` and `#` have no meaning
 * here; a policy that says `topicfilter/a/#` means those exact characters.
 *
 * The matcher runs for every PUBLISH, SUBSCRIBE and delivery, so it builds no RegExp and allocates
 * nothing: a single pass that remembers only the last `*` and backtracks to it (linear in practice,
 * O(pattern × text) in the worst case, never exponential).
 *
 * A `Glob` can mark some `*`/`?` characters as literal. That is how `${*}`, `${?}` and substituted policy
 * variables stay literal after substitution (see `variables.ts`).
 */

/** Per-character kind in `Glob.kinds`. */
export const LITERAL = 0;
export const STAR = 1;
export const ONE = 2;

/**
 * A pattern plus, optionally, what each of its UTF-16 units is. With `kinds === null` every `*` and `?` in
 * `text` is a wildcard (the common, allocation-free case); otherwise only positions marked STAR or ONE are.
 */
export interface Glob {
  readonly text: string;
  readonly kinds: Uint8Array | null;
}

const ASTERISK = 0x2a;
const QUESTION = 0x3f;

/** Wraps a policy string whose `*` and `?` are all wildcards. */
export function globOf(pattern: string): Glob {
  return { text: pattern, kinds: null };
}

/** True when the pattern contains a wildcard, i.e. it cannot be compared with `===`. */
export function hasWildcard(glob: Glob): boolean {
  const { text, kinds } = glob;
  if (kinds === null) return text.includes('*') || text.includes('?');
  for (let i = 0; i < kinds.length; i++) if (kinds[i] !== LITERAL) return true;
  return false;
}

/** Case-sensitive match of `value` against a pattern whose `*` and `?` are wildcards (resources). */
export function matchWildcard(pattern: string, value: string): boolean {
  return run(pattern, null, value, false);
}

/**
 * ASCII-case-insensitive variant for action names (`iot:publish` ≡ `iot:Publish`; IAM action names
 * are case-insensitive). Non-ASCII characters compare exactly; no action name contains any.
 */
export function matchWildcardIgnoreCase(pattern: string, value: string): boolean {
  return run(pattern, null, value, true);
}

/** Matches a glob that may carry literal `*`/`?` characters. */
export function matchGlob(glob: Glob, value: string): boolean {
  return run(glob.text, glob.kinds, value, false);
}

function kindAt(text: string, kinds: Uint8Array | null, i: number): number {
  if (kinds !== null) return kinds[i] ?? LITERAL;
  const c = text.charCodeAt(i);
  return c === ASTERISK ? STAR : c === QUESTION ? ONE : LITERAL;
}

function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Width in UTF-16 units of the character at `i`: `?` consumes a whole surrogate pair. */
function charWidth(value: string, i: number): number {
  const c = value.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
    const d = value.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function run(text: string, kinds: Uint8Array | null, value: string, ignoreCase: boolean): boolean {
  const m = text.length;
  const n = value.length;
  let p = 0;
  if (kinds === null) {
    // Fast path for the literal prefix (the `arn:aws:iot:<region>:<account>:` of nearly every resource).
    for (;;) {
      if (p === m) return p === n;
      const a = text.charCodeAt(p);
      if (a === ASTERISK || a === QUESTION) break;
      if (p === n) return false;
      const b = value.charCodeAt(p);
      if (a !== b && !(ignoreCase && fold(a) === fold(b))) return false;
      p++;
    }
    // `<prefix>*`, the commonest shape in policies: nothing left to check.
    if (p === m - 1 && text.charCodeAt(p) === ASTERISK) return true;
  }
  return backtrack(text, kinds, value, ignoreCase, p);
}

/** The general matcher, starting where pattern and value have matched the first `start` units literally. */
function backtrack(text: string, kinds: Uint8Array | null, value: string, ignoreCase: boolean, start: number): boolean {
  const m = text.length;
  const n = value.length;
  let p = start;
  let t = start;
  let starP = -1; // pattern index of the last `*` seen
  let starT = 0; // value index that `*` currently stops before
  while (t < n) {
    if (p < m) {
      const kind = kindAt(text, kinds, p);
      if (kind === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      if (kind === ONE) {
        p++;
        t += charWidth(value, t);
        continue;
      }
      const a = text.charCodeAt(p);
      const b = value.charCodeAt(t);
      if (a === b || (ignoreCase && fold(a) === fold(b))) {
        p++;
        t++;
        continue;
      }
    }
    // Mismatch (or pattern exhausted): let the last `*` swallow one more unit and retry after it.
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < m && kindAt(text, kinds, p) === STAR) p++;
  return p === m;
}
