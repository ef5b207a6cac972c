/**
 * @module rules/actions/http — `http` (spec §4.6): POST the SELECT output to a URL (a substitution
 * template), with up to 100 headers whose values are templates; `content-type` defaults to
 * `application/json` for JSON output, `application/octet-stream` for raw bytes. Each try has AWS's 3 s
 * timeout; a 429, a 5xx or a network error is retried (3 tries in all, 100 ms then 200 ms apart), any
 * other non-2xx is final. At most 100 requests per action are in flight: a slow endpoint costs its own
 * messages (reported to the error action), never hako's memory.
 *
 * A message is posted only under an ENABLED topic rule destination (`rules/destinations`): the one whose
 * confirmation URL prefixes the URL. `confirmationUrl` names it (required when `url` is a template; the URL
 * itself otherwise), and creating the rule creates it when none covers it, sending the confirmation request.
 *
 * Difference from AWS, by choice: `http://` is allowed (home and lab webhooks are plain HTTP more often than not).
 */
import { ActionFailure, type ActionFactory } from './action.js';
import { invalid, optionalString, requiredString, template } from './parameters.js';

const ACTION = 'http';
const TIMEOUT_MS = 3000;
const TRIES = 3;
const BACKOFF_MS = 100;
const MAX_IN_FLIGHT = 100;
const MAX_HEADERS = 100;

export const http: ActionFactory = (parameters, { sqlVersion, services }) => {
  const urlSource = requiredString(parameters, 'url', ACTION);
  const url = template(urlSource, 'url', ACTION, sqlVersion);
  if (url.isStatic) checkUrl(urlSource, (message) => invalid(ACTION, message));
  const confirmationUrl = optionalString(parameters, 'confirmationUrl', ACTION) ?? (url.isStatic ? urlSource : undefined);
  if (confirmationUrl === undefined) throw invalid(ACTION, 'confirmationUrl is required when url is a substitution template (it names the destination the URLs stay under)');
  checkUrl(confirmationUrl, (message) => invalid(ACTION, message.replace('url', 'confirmationUrl')));
  if (confirmationUrl.includes('${')) throw invalid(ACTION, 'confirmationUrl cannot contain substitution templates');
  if (url.isStatic && !urlSource.startsWith(confirmationUrl)) throw invalid(ACTION, `url ${urlSource} is not under confirmationUrl ${confirmationUrl}`);
  if (parameters['auth'] !== undefined) throw invalid(ACTION, 'auth (SigV4 to an AWS endpoint) is not supported by hako; send credentials in headers instead');
  const given = parameters['headers'] ?? [];
  if (!Array.isArray(given)) throw invalid(ACTION, 'headers must be a list of {key, value}');
  if (given.length > MAX_HEADERS) throw invalid(ACTION, `at most ${MAX_HEADERS} headers`);
  const headers = given.map((entry: unknown, i) => {
    const pair = (entry ?? {}) as Record<string, unknown>;
    const key = requiredString(pair, 'key', ACTION);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/.test(key)) throw invalid(ACTION, `headers[${i}].key ${JSON.stringify(key)} is not a header name`);
    return { key: key.toLowerCase(), value: template(requiredString(pair, 'value', ACTION), `headers[${i}].value`, ACTION, sqlVersion) };
  });
  let inFlight = 0;
  return {
    kind: ACTION,
    resource: urlSource,
    destination: confirmationUrl,
    async run({ output, payload, context }) {
      const target = url.render(context);
      checkUrl(target, (message) => new ActionFailure(message));
      if (!target.startsWith(confirmationUrl)) throw new ActionFailure(`${target} is not under the action's confirmationUrl ${confirmationUrl}`);
      const destination = services.destinationCovering(target);
      if (destination?.status !== 'ENABLED') {
        throw new ActionFailure(destination === undefined ? `no topic rule destination covers ${target}` : `topic rule destination ${destination.arn} is ${destination.status}: confirm it (its enableUrl, or ConfirmTopicRuleDestination)`);
      }
      if (inFlight >= MAX_IN_FLIGHT) throw new ActionFailure(`${MAX_IN_FLIGHT} requests to ${urlSource} are already in flight; this message was not sent`);
      const requestHeaders: Record<string, string> = { 'content-type': output instanceof Uint8Array ? 'application/octet-stream' : 'application/json' };
      for (const { key, value } of headers) requestHeaders[key] = value.render(context).replace(/[\r\n]/g, ' ');
      inFlight++;
      try {
        await post(target, requestHeaders, payload);
      } finally {
        inFlight--;
      }
    },
  };
};

async function post(url: string, headers: Record<string, string>, body: Buffer): Promise<void> {
  let problem = '';
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** (attempt - 2)));
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
      await response.arrayBuffer().catch(() => undefined); // drain, so the connection can be reused
      if (response.status >= 200 && response.status < 300) return;
      problem = `HTTP ${response.status} from ${url}`;
      if (response.status !== 429 && response.status < 500) break;
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
      problem = `POST ${url} failed: ${cause}`;
    }
  }
  throw new ActionFailure(problem);
}

function checkUrl(text: string, fail: (message: string) => Error): void {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw fail(`url ${JSON.stringify(text)} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw fail(`url must be http:// or https://, not ${parsed.protocol}`);
}
