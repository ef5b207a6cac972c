/**
 * @module gateway/usage-plans/new-id — ids shaped like AWS's (lower-case letters and digits: 10 for an API key, 6 for
 * a usage plan), and the optional-field setter the registries share.
 */
import { randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(length: number, taken: (id: string) => boolean): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
    if (!taken(id)) return id;
  }
}

export function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
