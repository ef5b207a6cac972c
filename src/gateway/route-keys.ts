/**
 * @module gateway/route-keys — API Gateway route keys as written in an API definition (spec §8.1):
 * `$default`, or `METHOD /path` where METHOD is one HTTP method or `ANY` and the path is made of literal
 * segments, whole-segment `{name}` variables and at most one greedy `{name+}`, which must be last
 * (AWS "http-api-develop-routes": "The greedy path variable must be at the end of the resource path").
 * Parsing never throws: a bad key yields `{ ok: false, reason }` so callers can answer with AWS's error.
 */

/** The methods an HTTP API route may name; `ANY` matches every method not given its own route. */
export const ROUTE_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export type PathSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

export type RouteKey =
  | { kind: 'default'; key: '$default' }
  | {
      kind: 'path';
      /** The key as given, e.g. `GET /items/{id}`. */
      key: string;
      method: RouteMethod;
      /** The path template, e.g. `/items/{id}` — what payload 1.0 calls `resource`. */
      path: string;
      segments: readonly PathSegment[];
    };

export type RouteKeyResult = { ok: true; route: RouteKey } | { ok: false; reason: string };

export const DEFAULT_ROUTE_KEY = '$default';

/** Variable names: letters, digits, `_`, `.`, `-` (the .NET and REST resource rules agree on this set). */
const VARIABLE = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;
/** Literal segments: RFC 3986 `pchar` without `%` escapes, braces, `?` or `#`. */
const LITERAL = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

/** Parses and validates one route key. */
export function parseRouteKey(key: string): RouteKeyResult {
  if (key === DEFAULT_ROUTE_KEY) return { ok: true, route: { kind: 'default', key: DEFAULT_ROUTE_KEY } };
  const space = key.indexOf(' ');
  if (space <= 0) return { ok: false, reason: `route key '${key}' must be '$default' or 'METHOD /path'` };
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (!isRouteMethod(method)) return { ok: false, reason: `route key '${key}' names unknown method '${method}' (one of ${ROUTE_METHODS.join(', ')})` };
  const parsed = parseRoutePath(path);
  if (!parsed.ok) return { ok: false, reason: `route key '${key}': ${parsed.reason}` };
  return { ok: true, route: { kind: 'path', key, method, path, segments: parsed.segments } };
}

export function isRouteMethod(value: string): value is RouteMethod {
  return (ROUTE_METHODS as readonly string[]).includes(value);
}

type PathResult = { ok: true; segments: PathSegment[] } | { ok: false; reason: string };

/** Splits a route path template into segments; `/` alone has none. */
export function parseRoutePath(path: string): PathResult {
  if (!path.startsWith('/')) return { ok: false, reason: `path '${path}' must start with '/'` };
  if (path === '/') return { ok: true, segments: [] };
  const parts = path.slice(1).split('/');
  const segments: PathSegment[] = [];
  const names = new Set<string>();
  for (const [index, part] of parts.entries()) {
    if (part === '') return { ok: false, reason: `path '${path}' has an empty segment (no '//' and no trailing '/')` };
    const variable = VARIABLE.exec(part);
    if (variable !== null) {
      const name = variable[1] as string;
      const greedy = variable[2] === '+';
      if (names.has(name)) return { ok: false, reason: `path '${path}' repeats the variable '${name}'` };
      names.add(name);
      if (greedy && index !== parts.length - 1) return { ok: false, reason: `greedy variable '{${name}+}' must be the last segment of '${path}'` };
      segments.push(greedy ? { kind: 'greedy', name } : { kind: 'param', name });
      continue;
    }
    if (part.includes('{') || part.includes('}')) return { ok: false, reason: `segment '${part}' of '${path}' must be a whole '{name}' or '{name+}' variable` };
    if (!LITERAL.test(part)) return { ok: false, reason: `segment '${part}' of '${path}' has characters a route path cannot hold` };
    segments.push({ kind: 'literal', value: part });
  }
  return { ok: true, segments };
}

/**
 * The route's shape with variable names erased (`GET /a/{*}`), so `GET /a/{x}` and `GET /a/{y}` are seen as the
 * same route: no request could tell them apart.
 */
export function routeShape(route: RouteKey): string {
  if (route.kind === 'default') return DEFAULT_ROUTE_KEY;
  const path = route.segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? '{*}' : '{*+}')).join('/');
  return `${route.method} /${path}`;
}
