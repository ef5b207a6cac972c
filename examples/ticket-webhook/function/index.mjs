/**
 * ticket-webhook: an issue tracker's webhook behind an HTTP API (API Gateway, payload 2.0 or 1.0).
 *
 *   1. check the X-Hub-Signature-256 HMAC over the raw body (401 when it is wrong or missing)
 *   2. read the ticket from the JSON body (400 when it is not JSON, or holds no ticket)
 *   3. classify it (P1–P4, see classify.mjs)
 *   4. publish it to MQTT topic ops/tickets/<priority> for whoever is on call
 *   5. answer 202 with the ticket id and priority
 *
 * Plain Node: `@aws-sdk/client-iot-data-plane` is lent to functions by hako (as by Lambda's runtime), which also
 * sets AWS_ENDPOINT_URL and temporary credentials, so the client needs no configuration.
 * The secret comes from the function's environment variable WEBHOOK_SECRET.
 */
import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { classify } from './classify.mjs';
import { verifySignature } from './signature.mjs';

// Made once per environment and reused while it stays warm.
const iot = new IoTDataPlaneClient({});

export const handler = async (event) => {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    // The operator's mistake, not the sender's: a 500 makes the tracker retry once it is fixed.
    console.error('WEBHOOK_SECRET is not set: set it with hako functions deploy … --env WEBHOOK_SECRET=…');
    return reply(500, { message: 'the webhook is not configured' });
  }
  const body = rawBody(event);
  if (!verifySignature(body, header(event, 'x-hub-signature-256'), secret)) {
    return reply(401, { message: 'missing or wrong X-Hub-Signature-256' });
  }
  let payload;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return reply(400, { message: 'the body is not JSON' });
  }
  const ticket = ticketOf(payload);
  if (typeof ticket === 'string') return reply(400, { message: ticket });

  const { priority, reasons } = classify(ticket);
  const topic = `ops/tickets/${priority}`;
  const message = {
    ...ticket,
    priority,
    reasons,
    action: typeof payload.action === 'string' ? payload.action : 'opened',
    delivery: header(event, 'x-hub-delivery') ?? event.requestContext?.requestId,
    receivedAt: new Date(event.requestContext?.timeEpoch ?? event.requestContext?.requestTimeEpoch ?? Date.now()).toISOString(),
  };
  // A failed publish throws: the gateway answers 500 and the tracker retries the delivery.
  await iot.send(new PublishCommand({ topic, qos: 1, contentType: 'application/json', payload: JSON.stringify(message) }));
  console.log(`ticket ${ticket.id} → ${topic} (${reasons.join(', ') || 'no rule matched'})`);
  return reply(202, { id: ticket.id, priority, topic });
};

/** The bytes the sender signed: API Gateway passes binary bodies base64-encoded, text ones as they came. */
function rawBody(event) {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A request header by name, whatever its case (payload 2.0 lower-cases names, 1.0 keeps the sender's). */
function header(event, name) {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * The ticket in either shape: `{"ticket": {"id", "title", "body", "labels": ["…"], "reporter"}}`, or GitHub's
 * issue event `{"issue": {"number", "title", "body", "labels": [{"name"}], "user": {"login"}}, "repository": {…}}`.
 * A string says what is missing.
 */
function ticketOf(payload) {
  const expected = 'expected {"ticket": {"id": …, "title": …}} or an issue event {"issue": {"number": …, "title": …}}';
  if (typeof payload !== 'object' || payload === null) return expected;
  const source = payload.ticket ?? payload.issue;
  if (typeof source !== 'object' || source === null) return expected;
  // A tracker's own ticket id, or GitHub's `owner/repo#number` (its issue `id` is an opaque global number).
  const id = payload.ticket !== undefined ? source.id : source.number === undefined ? undefined : `${payload.repository?.full_name ?? 'issue'}#${source.number}`;
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof source.title !== 'string' || source.title === '') return `the ticket needs an id and a title: ${expected}`;
  const labels = Array.isArray(source.labels) ? source.labels.map((label) => (typeof label === 'string' ? label : label?.name)).filter((label) => typeof label === 'string') : [];
  return {
    id: String(id),
    title: source.title,
    body: typeof source.body === 'string' ? source.body : '',
    labels,
    reporter: source.reporter ?? source.user?.login ?? null,
    url: source.url ?? source.html_url ?? null,
  };
}

function reply(statusCode, body) {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
