/**
 * @module iam/policy/keys — the context keys (policy variables and condition keys) AWS IoT defines, and
 * their canonical spelling.
 *
 * IAM key names are case-insensitive (`aws:sourceip` ≡ `aws:SourceIp`), but a resolver is a plain
 * function of the name. Policies are therefore compiled with every known key rewritten to the spelling
 * listed here, so resolvers only ever see these names. Unknown keys pass through unchanged. The part
 * of a key that names something the customer chose (the `<name>` in `Attributes[<name>]`) keeps its case.
 */

/** Names whose value is a single string (or absent). */
export const BASIC_KEYS = [
  'iot:ClientId',
  'aws:SourceIp',
  'aws:CurrentTime',
  'aws:EpochTime',
  'iot:DomainName',
  'iot:LastWillTopic',
  'iot:Connection.Thing.ThingName',
  'iot:Connection.Thing.ThingTypeName',
  'iot:Connection.Thing.IsAttached',
  'iot:Certificate.SerialNumber',
  'iot:Certificate.Validity.NotBefore',
  'iot:Certificate.Validity.NotAfter',
] as const;

/** Multi-valued keys: use them with `ForAnyValue:` / `ForAllValues:`. */
export const SET_KEYS = ['iot:ConnectAttributes', 'iot:Certificate.AvailableKeys'] as const;

/** Distinguished-name attributes available as `iot:Certificate.Subject.<A>` and `iot:Certificate.Issuer.<A>`. */
export const CERTIFICATE_NAME_ATTRIBUTES = [
  'CommonName',
  'Country',
  'Organization',
  'OrganizationalUnit',
  'State',
  'SerialNumber',
  'DistinguishedNameQualifier',
  'Title',
  'Surname',
  'GivenName',
  'Initials',
  'Pseudonym',
  'GenerationQualifier',
] as const;

const ALTERNATIVE_NAMES = ['RFC822Name', 'DNSName', 'DirectoryName', 'UniformResourceIdentifier', 'IPAddress'];

/** `iot:Connection.Thing.Attributes[<name>]`: the attribute name is the customer's and stays as written. */
export const THING_ATTRIBUTE_PREFIX = 'iot:Connection.Thing.Attributes[';

/** Certificate attributes are multi-valued; `.List` gives them all, `.<n>` the n-th (zero-based). */
const LIST_SUFFIX = '.List';
const INDEX_SUFFIX = /\.\d+$/;

const CANONICAL = new Map<string, string>();
for (const key of [...BASIC_KEYS, ...SET_KEYS]) CANONICAL.set(key.toLowerCase(), key);
for (const part of ['Subject', 'Issuer']) {
  const names = [...CERTIFICATE_NAME_ATTRIBUTES, ...ALTERNATIVE_NAMES.map((a) => `AlternativeName.${a}`)];
  for (const attribute of names) {
    const key = `iot:Certificate.${part}.${attribute}`;
    CANONICAL.set(key.toLowerCase(), key);
    CANONICAL.set((key + LIST_SUFFIX).toLowerCase(), key + LIST_SUFFIX);
  }
}

/** The canonical spelling of a context key; unknown keys come back unchanged. */
export function canonicalKey(name: string): string {
  const lower = name.toLowerCase();
  const known = CANONICAL.get(lower);
  if (known !== undefined) return known;
  if (lower.startsWith(THING_ATTRIBUTE_PREFIX.toLowerCase())) {
    return THING_ATTRIBUTE_PREFIX + name.slice(THING_ATTRIBUTE_PREFIX.length);
  }
  const index = INDEX_SUFFIX.exec(name);
  if (index !== null) {
    const base = CANONICAL.get(lower.slice(0, index.index));
    if (base !== undefined) return base + index[0];
  }
  return name;
}

/**
 * AWS IoT does not substitute a certificate attribute that contains a wildcard character or is longer than
 * 1024 characters (the `${…}` text is left in the policy, so the resource matches nothing).
 */
export function isUnsubstitutable(name: string, value: string): boolean {
  if (!name.startsWith('iot:Certificate.')) return false;
  return value.length > 1024 || value.includes('*') || value.includes('?');
}
