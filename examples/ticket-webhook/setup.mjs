#!/usr/bin/env node
/**
 * Sets up the ticket webhook on a running hako with the `hako` CLI, as the README does by hand:
 *
 *   1. hako functions deploy function --name ticket-webhook --env WEBHOOK_SECRET=<secret>   (creates or updates)
 *   2. hako apis create ticket-webhook --function ticket-webhook --route-key 'POST /tickets' (unless it exists)
 *
 * then prints the URL, the secret and a signed curl command to try it.
 *
 * Run from a hako checkout after `npm run build`: `node examples/ticket-webhook/setup.mjs`. It finds hako as the
 * CLI does (HAKO_DATA_DIR, default ./.hako, or HAKO_ENDPOINT). WEBHOOK_SECRET chooses the secret (default: a new
 * random one); HAKO_CLI names the CLI's entry script (default: this checkout's bin/hako.js).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'ticket-webhook';
const ROUTE_KEY = 'POST /tickets';
const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const cli = process.env.HAKO_CLI ?? here('../../bin/hako.js');

/** Runs `hako …` and returns what it printed; its errors (with their hints) go straight to our stderr. */
function hako(...args) {
  try {
    return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch {
    process.exit(1);
  }
}

const secret = process.env.WEBHOOK_SECRET ?? randomBytes(24).toString('hex');
hako('functions', 'deploy', here('./function'), '--name', NAME, '--env', `WEBHOOK_SECRET=${secret}`);

// Run twice, this keeps the one API instead of making a second.
const existing = JSON.parse(hako('apis', 'list', '--json')).Items.find((api) => api.Name === NAME);
const api = existing ?? JSON.parse(hako('apis', 'create', NAME, '--function', NAME, '--route-key', ROUTE_KEY, '--json'));
const url = `${api.ApiEndpoint}/tickets`;

/** hako's MQTT port from its ports.json, when this machine runs it. */
function mqttPort() {
  try {
    return JSON.parse(readFileSync(path.join(process.env.HAKO_DATA_DIR ?? '.hako', 'ports.json'), 'utf8')).mqtt;
  } catch {
    return 1883;
  }
}

const body = '{"ticket":{"id":"OPS-1","title":"Checkout is down","labels":["incident"]}}';
process.stdout.write(`${JSON.stringify({ apiId: api.ApiId, url, secret })}\n`);
process.stderr.write(`
ticket webhook ${existing === undefined ? 'created' : 'updated'}: POST ${url}
try it:
  export WEBHOOK_SECRET=${secret}
  BODY='${body}'
  SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" | sed 's/^.* //')
  curl -i -X POST '${url}' -H 'content-type: application/json' -H "X-Hub-Signature-256: sha256=$SIG" --data "$BODY"
and watch the tickets arrive:
  mosquitto_sub -h 127.0.0.1 -p ${mqttPort()} -t 'ops/tickets/#' -v
`);
