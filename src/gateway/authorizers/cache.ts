/**
 * @module gateway/authorizers/cache — authorizer answers kept for `authorizerResultTtlInSeconds`, keyed by the
 * authorizer and its identity source values (spec §8.6). Bounded: the oldest entry goes first when full.
 */
import type { AuthorizerAnswer } from './answers.js';

const MAX_ENTRIES = 10_000;

export class AuthorizerCache {
  readonly #entries = new Map<string, { expiresMs: number; answer: AuthorizerAnswer }>();

  get(key: string, nowMs: number): AuthorizerAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresMs > nowMs) return entry.answer;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, answer: AuthorizerAnswer, expiresMs: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { expiresMs, answer });
  }

  /** ResetAuthorizersCache, and any change to an authorizer. */
  clear(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}
