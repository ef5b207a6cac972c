/**
 * @module streams/warehouse/postgres/url — `ClusterJDBCURL` for a PostgreSQL server, in Redshift's JDBC
 * form: `jdbc:postgresql://host[:port]/database[?properties]` (port 5432 by default; an IPv6 address in brackets;
 * the database name percent-decoded). The user and password come from `Username` and `Password`, as for
 * Redshift, so a user in the URL is refused; so are several hosts. Checked by shape only: nothing connects at
 * CreateDeliveryStream.
 *
 * The properties are pgjdbc's for TLS, and only those:
 *   - `sslmode=disable` (the default), `require` (encrypted, the server not verified), `verify-ca` (its certificate
 *     chain checked against the trusted roots), `verify-full` (that, and the host name or address in it);
 *   - `ssl=true` means `verify-full`, as in pgjdbc since 42.2.5; `ssl=false` means `disable`;
 *   - `sslrootcert=<absolute path>`: a PEM file of the roots to trust (read when hako first connects for the
 *     stream; a file that cannot be read fails that delivery, which is retried); without it, Node's bundled
 *     roots. Only with `verify-ca` or `verify-full`.
 * `allow` and `prefer` (plain text when the server has no TLS) are refused: hako does not fall back silently.
 */

export const POSTGRES_URL_FORM = 'jdbc:postgresql://host[:port]/database[?sslmode=…]';
const SCHEME = /^jdbc:postgresql:/i;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^\[([0-9A-Fa-f:.]+)\]$/;

export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Absent: plain TCP (`sslmode=disable`). */
  readonly tls?: PostgresTls | undefined;
}

export interface PostgresTls {
  /** What is checked of the server's certificate: nothing, its chain, or its chain and name. */
  readonly verify: 'none' | 'chain' | 'chain-and-name';
  /** A PEM file of trusted roots, instead of Node's bundled ones. */
  readonly rootCertPath?: string | undefined;
}

const SSL_MODES: ReadonlyMap<string, PostgresTls['verify'] | 'disable'> = new Map([['disable', 'disable'], ['require', 'none'], ['verify-ca', 'chain'], ['verify-full', 'chain-and-name']]);

export class PostgresUrlError extends Error {}

export function isPostgresUrl(url: string): boolean {
  return SCHEME.test(url);
}

/** The server and database a `jdbc:postgresql:` URL names; PostgresUrlError saying what is wrong otherwise. */
export function parsePostgresUrl(url: string): PostgresAddress {
  const fail = (why: string): never => {
    throw new PostgresUrlError(`ClusterJDBCURL ${url} is not a PostgreSQL URL hako can load (${POSTGRES_URL_FORM}): ${why}.`);
  };
  const rest = url.replace(SCHEME, '');
  if (!rest.startsWith('//')) fail('the server is missing (//host after jdbc:postgresql:)');
  const slash = rest.indexOf('/', 2);
  const authority = rest.slice(2, slash === -1 ? undefined : slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  if (authority.includes('@')) fail('the user goes in Username and the password in Password, not in the URL');
  if (authority.includes(',')) fail('one server only');
  const bracketed = /^(\[[^\]]*\])(?::(.*))?$/.exec(authority);
  const [hostText, portText] = bracketed !== null ? [bracketed[1] as string, bracketed[2]] : (authority.split(/:(.*)/s, 2) as [string, string | undefined]);
  const ipv6 = IPV6.exec(hostText)?.[1];
  if (ipv6 === undefined && !HOST_NAME.test(hostText)) fail(hostText === '' ? 'the host is missing' : `'${hostText}' is not a host name or address`);
  const port = portText === undefined ? 5432 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) fail(`the port '${portText}' is not 1 to 65535`);
  const query = path.indexOf('?');
  const name = query === -1 ? path : path.slice(0, query);
  if (name === '' || name.includes('/') || name.includes('#')) fail(name === '' ? 'the database is missing' : `'${name}' is not a database name`);
  let database = '';
  try {
    database = decodeURIComponent(name);
  } catch {
    fail(`'${name}' is not a percent-encoded database name`);
  }
  const tls = query === -1 ? undefined : tlsOf(new URLSearchParams(path.slice(query + 1)), fail);
  return { host: ipv6 ?? hostText, port, database, ...(tls === undefined ? {} : { tls }) };
}

function tlsOf(properties: URLSearchParams, fail: (why: string) => never): PostgresTls | undefined {
  for (const key of new Set(properties.keys())) {
    if (!['ssl', 'sslmode', 'sslrootcert'].includes(key)) fail(`the property '${key}' is not supported (only ssl, sslmode and sslrootcert; the user and password come from Username and Password)`);
    if (properties.getAll(key).length > 1) fail(`the property '${key}' is given more than once`);
  }
  const ssl = properties.get('ssl');
  if (ssl !== null && ssl !== 'true' && ssl !== 'false') fail(`ssl must be true or false, not '${ssl}'`);
  const mode = properties.get('sslmode');
  if (mode === 'allow' || mode === 'prefer') fail(`sslmode=${mode} would fall back to plain text; say require, verify-ca or verify-full (or disable)`);
  const verify = mode !== null ? SSL_MODES.get(mode) : ssl === 'true' ? 'chain-and-name' : 'disable';
  if (verify === undefined) fail(`sslmode must be disable, require, verify-ca or verify-full, not '${mode}'`);
  const rootCertPath = properties.get('sslrootcert') ?? undefined;
  if (rootCertPath !== undefined) {
    if (verify !== 'chain' && verify !== 'chain-and-name') fail('sslrootcert is read only with sslmode=verify-ca or verify-full');
    if (!rootCertPath.startsWith('/')) fail(`sslrootcert must be an absolute path, not '${rootCertPath}'`);
  }
  if (verify === 'disable') return undefined;
  return { verify, ...(rootCertPath === undefined ? {} : { rootCertPath }) };
}
