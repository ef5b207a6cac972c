/**
 * @module gateway/throttle — HTTP API throttling (spec §8.7): a token bucket per stage and route, from the stage's
 * `routeSettings[routeKey]` or else its `defaultRouteSettings` (`throttlingRateLimit` requests/s refill,
 * `throttlingBurstLimit` capacity). A request finding the bucket empty gets 429, and hako adds `Retry-After`: the
 * seconds until a token is back. A route with neither setting is not throttled by the gateway.
 */

export interface ThrottleSettings {
  /** Requests per second; may be fractional. */
  rateLimit: number;
  burstLimit: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  #tokens: number;
  #lastMs: number;

  constructor(settings: ThrottleSettings, nowMs: number) {
    this.#rate = settings.rateLimit;
    this.#capacity = settings.burstLimit;
    this.#tokens = settings.burstLimit;
    this.#lastMs = nowMs;
  }

  take(nowMs: number): TakeResult {
    if (nowMs > this.#lastMs) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + ((nowMs - this.#lastMs) / 1000) * this.#rate);
      this.#lastMs = nowMs;
    }
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    // A bucket that never refills or can never hold a token: try again in a minute (nothing better is true).
    if (this.#rate <= 0 || this.#capacity < 1) return { ok: false, retryAfterSeconds: 60 };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.#tokens) / this.#rate)) };
  }
}

/** Buckets by key; a key's bucket is replaced when its settings change. */
export class Throttles {
  readonly #buckets = new Map<string, { settings: ThrottleSettings; bucket: TokenBucket }>();

  take(key: string, settings: ThrottleSettings, nowMs: number): TakeResult {
    let entry = this.#buckets.get(key);
    if (entry === undefined || entry.settings.rateLimit !== settings.rateLimit || entry.settings.burstLimit !== settings.burstLimit) {
      entry = { settings: { ...settings }, bucket: new TokenBucket(settings, nowMs) };
      this.#buckets.set(key, entry);
    }
    return entry.bucket.take(nowMs);
  }

  forget(prefix: string): void {
    for (const key of this.#buckets.keys()) if (key.startsWith(prefix)) this.#buckets.delete(key);
  }
}
