/**
 * @module iam/pki/x509-lib — the one place that loads `@peculiar/x509`.
 *
 * The library resolves its algorithm providers through tsyringe, which throws at load time unless a
 * `Reflect.metadata` polyfill is already installed. ESM hoists static imports, so the only way to be sure
 * the polyfill runs first is to load both with `require` in order. Every other file imports `x509` from
 * here, never the package itself, and uses node's own `X509Certificate` for parsing and inspecting.
 */
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';

const require = createRequire(import.meta.url);
require('@abraham/reflection');

/** `@peculiar/x509`, wired to node's WebCrypto. Used to create certificates and to parse/verify CSRs. */
export const x509 = require('@peculiar/x509') as typeof import('@peculiar/x509');
x509.cryptoProvider.set(webcrypto);

/** Node's WebCrypto, typed for the calls this folder makes. */
export const subtle = webcrypto.subtle;
export type CryptoKey = webcrypto.CryptoKey;
