/**
 * @module gateway/route-matcher — picks the route for a method and path, built once per API.
 *
 * Precedence (AWS "http-api-develop-routes", "Routing API requests"): "API Gateway selects the route with the
 * most-specific match, using the following priorities: 1. Full match for a route and method. 2. Match for a route
 * and method with a greedy path variable ({proxy+}). 3. The $default route." Its example table: `GET /pets/dog/1`
 * beats `GET /pets/dog/{id}` for `/pets/dog/1`; `GET /pets/{proxy+}` takes `GET /pets/cat/1`; `ANY /{proxy+}` takes
 * `POST /test/5` ("Routes with greedy path variables have higher priority than the $default route").
 * What the docs leave open is settled the way the REST resource tree behaves, and is fixed here as:
 *   1. routes without a greedy variable before routes with one (the docs' tiers 1 and 2);
 *   2. then segment by segment from the left, literal before `{param}` before `{greedy+}` (so `/pets/dog/{id}`
 *      beats `/pets/{kind}/1`, and `/a/b/{proxy+}` beats `/a/{proxy+}`);
 *   3. then, for the same path template, an explicit method before `ANY` ("use the ANY method to match all methods
 *      that you haven't defined for a resource" — ANY yields only to methods defined on the same resource);
 *   4. `$default` last, for any method.
 * A request path is matched on its raw, still percent-encoded segments (so `%2F` never splits a segment); literals
 * compare against the decoded segment and variables are delivered decoded ("API Gateway decodes URL-encoded request
 * parameters before passing them to your backend integration"). A malformed escape leaves that segment as sent.
 * Trailing slashes are significant: `/pets/` does not match `GET /pets`, and a greedy variable needs at least one
 * character, so `/{proxy+}` does not match `/`.
 */
import { parseRouteKey, routeShape, type PathSegment, type RouteKey } from './route-keys.js';

export interface RouteMatch<T> {
  route: RouteKey;
  /** What the API attached to the route (its integration, authorizer, …). */
  target: T;
  /** Decoded path variables; empty when the route has none. */
  pathParameters: Record<string, string>;
}

export interface RouteMatcher<T> {
  /** The best route for `method` and `path` (raw, without stage or query), or undefined: answer 404. */
  match(method: string, path: string): RouteMatch<T> | undefined;
  readonly routes: readonly RouteKey[];
}

export interface RouteProblem {
  key: string;
  reason: string;
}

export type BuildMatcherResult<T> = { ok: true; matcher: RouteMatcher<T> } | { ok: false; problems: RouteProblem[] };

interface Entry<T> {
  route: Extract<RouteKey, { kind: 'path' }>;
  target: T;
  greedy: boolean;
  ranks: number[];
}

/** Builds a matcher from `[routeKey, target]` pairs; invalid or conflicting keys are all reported at once. */
export function buildRouteMatcher<T>(routes: Iterable<readonly [string, T]>): BuildMatcherResult<T> {
  const problems: RouteProblem[] = [];
  const entries: Entry<T>[] = [];
  const shapes = new Map<string, string>();
  let fallback: { route: RouteKey; target: T } | undefined;
  for (const [key, target] of routes) {
    const parsed = parseRouteKey(key);
    if (!parsed.ok) {
      problems.push({ key, reason: parsed.reason });
      continue;
    }
    const shape = routeShape(parsed.route);
    const clash = shapes.get(shape);
    if (clash !== undefined) {
      problems.push({ key, reason: clash === key ? `route '${key}' is defined twice` : `route '${key}' conflicts with '${clash}'` });
      continue;
    }
    shapes.set(shape, key);
    if (parsed.route.kind === 'default') {
      fallback = { route: parsed.route, target };
      continue;
    }
    const segments = parsed.route.segments;
    entries.push({ route: parsed.route, target, greedy: segments.some((s) => s.kind === 'greedy'), ranks: segments.map(rankOf) });
  }
  if (problems.length > 0) return { ok: false, problems };
  entries.sort(comparePrecedence);
  const ordered = entries.map((e) => e.route as RouteKey);
  if (fallback !== undefined) ordered.push(fallback.route);
  return {
    ok: true,
    matcher: {
      routes: ordered,
      match(method, path) {
        const verb = method.toUpperCase();
        const raw = splitRequestPath(path);
        if (raw !== undefined) {
          for (const entry of entries) {
            if (entry.route.method !== 'ANY' && entry.route.method !== verb) continue;
            const pathParameters = matchSegments(entry.route.segments, raw);
            if (pathParameters !== undefined) return { route: entry.route, target: entry.target, pathParameters };
          }
        }
        return fallback === undefined ? undefined : { route: fallback.route, target: fallback.target, pathParameters: {} };
      },
    },
  };
}

function rankOf(segment: PathSegment): number {
  return segment.kind === 'literal' ? 0 : segment.kind === 'param' ? 1 : 2;
}

function comparePrecedence<T>(a: Entry<T>, b: Entry<T>): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const length = Math.min(a.ranks.length, b.ranks.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.ranks[i] as number) - (b.ranks[i] as number);
    if (diff !== 0) return diff;
  }
  // Same ranks as far as both go: different lengths never match the same path unless greedy, where the longer
  // prefix is the more specific route; equal templates put the explicit method first.
  if (a.ranks.length !== b.ranks.length) return b.ranks.length - a.ranks.length;
  return (a.route.method === 'ANY' ? 1 : 0) - (b.route.method === 'ANY' ? 1 : 0);
}

/** The raw segments of a request path; `/` has none; undefined when the path does not start with `/`. */
export function splitRequestPath(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  return path === '/' ? [] : path.slice(1).split('/');
}

function matchSegments(segments: readonly PathSegment[], raw: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = raw.slice(index);
      if (rest.join('/') === '') return undefined;
      parameters[segment.name] = rest.map(decodePathSegment).join('/');
      return parameters;
    }
    const part = raw[index];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'literal') {
      if (decodePathSegment(part) !== segment.value) return undefined;
    } else {
      parameters[segment.name] = decodePathSegment(part);
    }
  }
  return segments.length === raw.length ? parameters : undefined;
}

/** Percent-decodes one path segment; `+` stays `+` (only query strings use it for space); bad escapes stay as sent. */
export function decodePathSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
