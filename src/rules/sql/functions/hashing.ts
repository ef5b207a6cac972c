/**
 * @module rules/sql/functions/hashing — `md2 md5 sha1 sha224 sha256 sha384 sha512`: the lower-case hex
 * digest of the UTF-8 bytes of the (string-converted) argument [DG iot-sql-functions.md, Hashing].
 *
 * `md2` is in the dialect but Node's OpenSSL 3 build no longer ships MD2, so it parses and returns
 * Undefined, as AWS does for a function it cannot apply.
 */

import { createHash, getHashes } from 'node:crypto';
import { toStr } from '../values.js';
import { fn, type FunctionTable, type SqlFunction } from './registry.js';

const available = new Set(getHashes());

function digest(algorithm: string): SqlFunction {
  const supported = available.has(algorithm);
  return fn(1, 1, (args) => {
    const text = toStr(args[0]);
    if (text === undefined || !supported) return undefined;
    return createHash(algorithm).update(text, 'utf8').digest('hex');
  });
}

export const hashingFunctions: FunctionTable = {
  md2: digest('md2'),
  md5: digest('md5'),
  sha1: digest('sha1'),
  sha224: digest('sha224'),
  sha256: digest('sha256'),
  sha384: digest('sha384'),
  sha512: digest('sha512'),
};
