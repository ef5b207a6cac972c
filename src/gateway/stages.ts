/**
 * @module gateway/stages — which stage a request path names (spec §8.1; AWS "http-api-develop-routes", "Routing
 * API requests": "API Gateway first determines which stage to route the request to. If the request explicitly
 * matches a stage, API Gateway sends the request to that stage. If no stage fully matches the request, API Gateway
 * sends the request to the $default stage. If there's no $default stage, then the API returns
 * {"message":"Not Found"}"). A named stage is the first path segment; the `$default` stage has no prefix.
 * REST APIs have no `$default` stage, so the same rule gives them "first segment or nothing".
 */

export const DEFAULT_STAGE = '$default';

export interface StageSelection {
  stage: string;
  /** The path after the stage prefix, still raw; `/` when the request named only the stage. */
  path: string;
}

/** The stage a raw request path (no query) selects among `stages`, or undefined: answer 404 Not Found. */
export function selectStage(rawPath: string, stages: ReadonlySet<string> | readonly string[]): StageSelection | undefined {
  const known = stages instanceof Set ? stages : new Set(stages as readonly string[]);
  if (rawPath.startsWith('/')) {
    const slash = rawPath.indexOf('/', 1);
    const first = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
    if (first !== '' && first !== DEFAULT_STAGE && known.has(first)) {
      return { stage: first, path: slash === -1 ? '/' : rawPath.slice(slash) };
    }
  }
  return known.has(DEFAULT_STAGE) ? { stage: DEFAULT_STAGE, path: rawPath } : undefined;
}

/**
 * The path as the client sent it, stage included: what payload 2.0 reports as `rawPath` and `http.path`, and 1.0 as
 * `requestContext.path`, for a named stage ("Format 2.0 has rawPath. If you use an API mapping to connect your stage
 * to a custom domain name, rawPath won't provide the API mapping value"; for `$default` the two are the same).
 * A request for the bare stage (`/dev`) selected path `/`, so it is reported as `/dev/`.
 */
export function pathWithStage(stage: string, path: string): string {
  return stage === DEFAULT_STAGE ? path : `/${stage}${path}`;
}
