/**
 * @module iam/pki/subject-string — parsing the subject strings callers write when asking for a certificate.
 *
 * Accepted forms, always in certificate order (the order OpenSSL prints): `CN=my-thing, O=Acme, OU=a, OU=b`
 * (RFC 4514 escapes `\,` `\+` `\"` `\\` `\0A`, or a "quoted, value") and OpenSSL's `-subj` form
 * `/O=Acme/CN=my-thing`. `+` joins attributes into one multi-valued RDN. Attribute names are OpenSSL's short
 * names, AWS's long names (CommonName, OrganizationalUnit, …) or dotted OIDs, in any letter case. Anything
 * else is refused rather than guessed at.
 */
import { CertificateError } from './certificate-error.js';

/** One RDN: OID → values, each with the ASN.1 string type to encode it as. */
export type RdnJson = Record<string, ({ printableString: string } | { utf8String: string } | { ia5String: string })[]>;

const OIDS: Readonly<Record<string, string>> = {
  cn: '2.5.4.3', commonname: '2.5.4.3', c: '2.5.4.6', country: '2.5.4.6', o: '2.5.4.10', organization: '2.5.4.10',
  ou: '2.5.4.11', organizationalunit: '2.5.4.11', st: '2.5.4.8', state: '2.5.4.8', l: '2.5.4.7', locality: '2.5.4.7',
  serialnumber: '2.5.4.5', dnqualifier: '2.5.4.46', distinguishednamequalifier: '2.5.4.46', title: '2.5.4.12', t: '2.5.4.12',
  sn: '2.5.4.4', surname: '2.5.4.4', gn: '2.5.4.42', g: '2.5.4.42', givenname: '2.5.4.42', initials: '2.5.4.43', i: '2.5.4.43',
  pseudonym: '2.5.4.65', generationqualifier: '2.5.4.44', street: '2.5.4.9', postalcode: '2.5.4.17',
  uid: '0.9.2342.19200300.100.1.1', dc: '0.9.2342.19200300.100.1.25', e: '1.2.840.113549.1.9.1', emailaddress: '1.2.840.113549.1.9.1',
};
const IA5 = new Set(['0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1']);
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function parseSubjectString(text: string): RdnJson[] {
  const slashForm = text.startsWith('/');
  const separator = slashForm ? '/' : ',';
  const invalid = (why: string): CertificateError => new CertificateError('SUBJECT_INVALID', `subject "${text}" ${why}; write it like "CN=my-thing, O=Acme"`);
  const rdns: RdnJson[] = [];
  let rdn: RdnJson = {};
  let i = slashForm ? 1 : 0;
  if (text.slice(i).trim() === '') throw invalid('is empty');
  while (i <= text.length) {
    const equals = text.indexOf('=', i);
    if (equals === -1) throw invalid(`has "${text.slice(i).trim()}" where an attribute (NAME=value) belongs`);
    const name = text.slice(i, equals).trim();
    const stray = name.split(separator).length > 1 ? name.split(separator)[0] : undefined;
    if (stray !== undefined) throw invalid(`has "${stray.trim()}" where an attribute (NAME=value) belongs`);
    const oid = /^\d+(\.\d+)+$/.test(name) ? name : OIDS[name.toLowerCase()];
    if (oid === undefined) throw invalid(name === '' ? 'has a value without an attribute name' : `has an attribute name hako does not know, "${name}" (use CN, O, OU, C, ST, L, … or a dotted OID)`);
    const bytes: number[] = [];
    let j = equals + 1;
    while (text[j] === ' ') j++;
    if (text[j] === '#') throw invalid('has a value starting with "#" (BER-encoded values are not supported; escape it as \\#)');
    const quoted = text[j] === '"';
    if (quoted) j++;
    let lastSignificant = 0; // bytes.length after the last escaped or non-space character, to drop trailing spaces
    for (; j < text.length; j++) {
      const ch = text[j] as string;
      if (quoted ? ch === '"' : ch === separator || ch === '+') break;
      if (ch === '\\') {
        const hex = text.slice(j + 1, j + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); j += 2; }
        else if (j + 1 < text.length) bytes.push(...Buffer.from(text[++j] as string, 'utf8'));
        else throw invalid('ends with a lone backslash');
        lastSignificant = bytes.length;
        continue;
      }
      if (!quoted && (ch === '"' || (!slashForm && (ch === ';' || ch === '<' || ch === '>')))) throw invalid(`has an unescaped "${ch}" (escape it with a backslash)`);
      bytes.push(...Buffer.from(ch, 'utf8'));
      if (ch !== ' ' || quoted) lastSignificant = bytes.length;
    }
    if (quoted) {
      if (text[j] !== '"') throw invalid('has an unterminated quoted value');
      j++;
      while (text[j] === ' ') j++;
      if (j < text.length && text[j] !== separator && text[j] !== '+') throw invalid('has text after a quoted value');
    }
    const value = Buffer.from(bytes.slice(0, lastSignificant)).toString('utf8');
    (rdn[oid] ??= []).push(IA5.has(oid) ? { ia5String: value } : PRINTABLE.test(value) ? { printableString: value } : { utf8String: value });
    if (text[j] !== '+') {
      rdns.push(rdn);
      rdn = {};
    }
    i = j + 1;
    if (j >= text.length) break;
  }
  return rdns;
}
