/**
 * @module iam/sigv4/access-keys — minting access keys and writing/reading the AWS shared-credentials file.
 *
 * Key ids look like AWS's: `AKIA` + 16 characters of RFC 4648 base32 (`[A-Z2-7]`); secrets are 40
 * characters of base64 from 30 random bytes. The credentials file is the INI format every AWS SDK reads
 * via `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`); `parseCredentialsFile` reads it the
 * way SDK v3 does (`#`/`;` comments, indented sub-keys). Write it with mode 0600: it holds secrets.
 */
import { randomBytes } from 'node:crypto';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface CredentialsFileEntry extends AccessKey {
  readonly profile: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(buffer << (5 - bits)) & 31] : out;
}

/** A fresh key pair: `AKIA` + 16 × `[A-Z2-7]` (80 random bits), and a 40-character secret (240 bits). */
export function generateAccessKey(): AccessKey {
  return {
    accessKeyId: `AKIA${base32(randomBytes(10))}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

const PROFILE_NAME = /^[\w\-@+.%:/]+$/; // what SDK v3 accepts inside `[...]`
const VALUE = /^[^\s#;]+$/; // `#`/`;` after whitespace start a comment; keys never need them

/** Renders entries as a shared-credentials file. Throws `RangeError` on a name or value the SDKs would misread. */
export function formatCredentialsFile(keys: readonly CredentialsFileEntry[]): string {
  const seen = new Set<string>();
  return keys
    .map(({ profile, accessKeyId, secretAccessKey }) => {
      if (!PROFILE_NAME.test(profile) || profile === '__proto__') {
        throw new RangeError(`invalid profile name ${JSON.stringify(profile)}`);
      }
      if (seen.has(profile)) throw new RangeError(`duplicate profile ${JSON.stringify(profile)}`);
      seen.add(profile);
      if (!VALUE.test(accessKeyId)) throw new RangeError(`invalid access key id for profile ${profile}`);
      if (!VALUE.test(secretAccessKey)) throw new RangeError(`invalid secret access key for profile ${profile}`);
      return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
    })
    .join('\n');
}

/** Profiles that carry both `aws_access_key_id` and `aws_secret_access_key`; other keys are ignored. */
export function parseCredentialsFile(text: string): Map<string, AccessKey> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let subSection: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = (rawLine.split(/(?:^|\s)[;#]/)[0] ?? '').trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim();
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      subSection = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (section === undefined || eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (value === '') {
      subSection = key; // `s3 =` followed by indented `key = value` lines
      continue;
    }
    if (subSection !== undefined && rawLine.trimStart() === rawLine) subSection = undefined;
    section.set(subSection === undefined ? key : `${subSection}.${key}`, value);
  }
  const profiles = new Map<string, AccessKey>();
  for (const [name, values] of sections) {
    const accessKeyId = values.get('aws_access_key_id');
    const secretAccessKey = values.get('aws_secret_access_key');
    if (accessKeyId && secretAccessKey) profiles.set(name, { accessKeyId, secretAccessKey });
  }
  return profiles;
}
