/**
 * @module iam/pki/pem — finding PEM blocks in text, so callers can insist on exactly one block of one kind.
 *
 * Node's `X509Certificate` silently takes the first certificate of a bundle and ignores the rest; hako
 * registers one certificate per call, so it looks at every block first and says what it found.
 */
import { CertificateError } from './certificate-error.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every PEM block in `text`, in order. Text between blocks (OpenSSL's "Bag Attributes", comments) is ignored. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let end = 0;
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel = ''] = match;
    if (label !== endLabel) {
      throw new CertificateError('NOT_PEM', `PEM block "BEGIN ${label}" is closed by "END ${endLabel}"`);
    }
    const base64 = body.replace(/\s+/g, '');
    if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
      throw new CertificateError('MALFORMED', `the ${label} PEM block is not valid base64`);
    }
    blocks.push({ label, der: Buffer.from(base64, 'base64') });
    end = (match.index ?? 0) + match[0].length;
  }
  if (text.indexOf('-----BEGIN ', end) !== -1) {
    throw new CertificateError('NOT_PEM', 'a PEM block is not terminated by an -----END …----- line');
  }
  return blocks;
}

/**
 * The DER of the one block in `text`, which must carry one of `labels`; `what` names the expected thing in
 * messages ("certificate", "certificate signing request").
 */
export function singlePemBlock(text: string, labels: readonly string[], what: string): Buffer {
  if (typeof text !== 'string') throw new CertificateError('NOT_PEM', `expected a PEM-encoded ${what} as a string`);
  const blocks = pemBlocks(text);
  const wanted = blocks.filter((block) => labels.includes(block.label));
  const first = wanted[0];
  if (first === undefined) {
    const other = blocks[0];
    if (other !== undefined) {
      throw new CertificateError('WRONG_PEM_TYPE', `expected a PEM-encoded ${what} (-----BEGIN ${labels[0]}-----) but found a ${other.label} block`);
    }
    throw new CertificateError('NOT_PEM', `expected a PEM-encoded ${what} (-----BEGIN ${labels[0]}-----) but found no PEM block`);
  }
  if (wanted.length > 1) {
    throw new CertificateError('SEVERAL_BLOCKS', `expected exactly one ${what} but found ${wanted.length}`);
  }
  return first.der;
}

/** `der` as PEM with 64-character lines and a trailing newline. */
export function toPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
