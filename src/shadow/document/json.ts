/**
 * @module shadow/document/json — small, prototype-safe helpers over parsed JSON values: object test, own-key
 * read/write (a client may send keys such as `__proto__` or `constructor`), deep equality with numeric
 * comparison, and UTF-8 byte length.
 */

import type { JsonObject, JsonValue } from './types.js';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value stored under an own key, never one inherited from `Object.prototype`. */
export function getOwn(object: JsonObject | undefined, key: string): JsonValue | undefined {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * Sets an own enumerable key, so `__proto__` is stored as data rather than changing the prototype. It is
 * the only key that needs `defineProperty` (the one accessor on `Object.prototype`); plain assignment
 * creates own keys for every other name and is several times faster on the shadow update path.
 */
export function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

export function isEmptyObject(object: JsonObject): boolean {
  return Object.keys(object).length === 0;
}

/**
 * Deep equality of two JSON values: numbers by value (so `1` and `1.0` are equal), arrays element by element
 * in order, objects by key set regardless of key order.
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i] as JsonValue));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key] as JsonValue, b[key] as JsonValue));
  }
  return false;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
