/**
 * @module rules/sql/functions/time-pattern — what the Joda (`parse_time`) and java.time (`time_to_epoch`)
 * date patterns share: tokenizing into letter runs and quoted literals, and English month/day names.
 */

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export type PatternToken = { readonly letter: string; readonly count: number } | { readonly literal: string };

const patternCache = new Map<string, PatternToken[]>();

/** Splits a Joda/java.time pattern into letter runs and literal text. */
export function tokenizePattern(pattern: string): PatternToken[] {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) return cached;
  const tokens: PatternToken[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          break;
        }
        text += pattern[i];
        i++;
      }
      i++; // closing quote (an unterminated quote runs to the end, as in Joda)
      tokens.push({ literal: text });
    } else if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern[i + count] === ch) count++;
      tokens.push({ letter: ch, count });
      i += count;
    } else {
      tokens.push({ literal: ch });
      i++;
    }
  }
  if (patternCache.size >= 500) patternCache.clear();
  patternCache.set(pattern, tokens);
  return tokens;
}

