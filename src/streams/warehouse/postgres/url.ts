/**
 * @module streams/warehouse/postgres/url — `ClusterJDBCURL` for a PostgreSQL server, in Redshift's JDBC
 * form: `jdbc:postgresql://host[:port]/database` (port 5432 by default; an IPv6 address in brackets; the
 * database name percent-decoded). The user and password come from `Username` and `Password`, as for
 * Redshift, so a user in the URL is refused; so are connection properties (`?ssl=true&…`: TLS is not
 * supported yet) and several hosts. Checked by shape only: nothing connects at CreateDeliveryStream.
 */

export const POSTGRES_URL_FORM = 'jdbc:postgresql://host[:port]/database';
const SCHEME = /^jdbc:postgresql:/i;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^\[([0-9A-Fa-f:.]+)\]$/;

export interface PostgresAddress {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

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
  if (path.includes('?')) fail("connection properties ('?…') are not supported; the user and password come from Username and Password");
  if (path === '' || path.includes('/') || path.includes('#')) fail(path === '' ? 'the database is missing' : `'${path}' is not a database name`);
  let database = '';
  try {
    database = decodeURIComponent(path);
  } catch {
    fail(`'${path}' is not a percent-encoded database name`);
  }
  return { host: ipv6 ?? hostText, port, database };
}
