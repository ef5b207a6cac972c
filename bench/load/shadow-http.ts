/**
 * @module bench/load/shadow-http — things updating their classic shadows through hako's HTTP data plane,
 * as `UpdateThingShadow` does: `POST /things/<thing>/shadow` with the document as the body, signed with
 * SigV4 for service `iotdata`, on keep-alive connections (one per update in flight).
 *
 * The signer is `@smithy/signature-v4`, the one inside every AWS SDK v3 client, called directly: the SDK's
 * middleware stack (retries, endpoint resolution, serde, its HTTP handler) would cost the generator CPU
 * that the broker shares on this machine, and hako sees the same request either way.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ShadowEndpoint } from './config.js';
import { HttpConnection, type HttpResponse } from './http-connection.js';
import { shadowUpdate, type ShadowTally, type ShadowThing } from './shadow-tally.js';

type HttpEndpoint = Extract<ShadowEndpoint, { kind: 'http' }>;

/** Longest response body quoted in a problem. */
const DETAIL_CHARS = 200;
const HOST = '127.0.0.1';

export class ShadowHttpThing implements ShadowThing {
  /** One signer for all things: it caches the signing key (derived per day, region and service). */
  static signerFor(endpoint: HttpEndpoint): SignatureV4 {
    return new SignatureV4({
      service: 'iotdata',
      region: endpoint.region,
      credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  readonly #port: number;
  readonly #signer: SignatureV4;
  readonly #index: number;
  readonly #path: string;
  readonly #tally: ShadowTally;
  /** Connections with no request on them: an update takes one, its answer gives it back. */
  readonly #idle: HttpConnection[];
  readonly #all: HttpConnection[];
  #seq = 0;
  /** Updates being signed or awaiting their response. */
  #unanswered = 0;

  constructor(endpoint: HttpEndpoint, signer: SignatureV4, index: number, inFlight: number, tally: ShadowTally) {
    this.#port = endpoint.port;
    this.#signer = signer;
    this.#index = index;
    this.#path = `/things/bench-${index}/shadow`;
    this.#tally = tally;
    this.#all = Array.from({ length: inFlight }, () => this.#connect());
    this.#idle = [...this.#all];
  }

  get unanswered(): number {
    return this.#unanswered;
  }

  send(): void {
    if (this.#tally.stopped) return;
    const connection = this.#idle.pop();
    if (connection === undefined) return; // every connection failed, or the caller exceeded inFlight
    const { body } = shadowUpdate(this.#index, ++this.#seq);
    this.#unanswered++;
    this.#tally.sent++;
    this.#post(connection, body).catch((err: unknown) => this.#fail(err instanceof Error ? err.message : String(err), true));
  }

  close(): void {
    for (const connection of this.#all) connection.close();
  }

  #connect(): HttpConnection {
    const connection: HttpConnection = new HttpConnection(
      this.#port,
      (response) => {
        this.#idle.push(connection);
        this.#answered(response);
      },
      (message, requestLost) => this.#fail(message, requestLost),
    );
    return connection;
  }

  async #post(connection: HttpConnection, body: string): Promise<void> {
    const port = this.#port;
    const { headers } = await this.#signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: HOST,
      port,
      path: this.#path,
      query: {},
      headers: { host: `${HOST}:${port}`, 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    });
    let head = `POST ${this.#path} HTTP/1.1\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    connection.send(head, body);
  }

  #answered(response: HttpResponse): void {
    this.#unanswered--;
    if (response.status === 200) this.#tally.accept(response.sentAt);
    else this.#tally.reject(`HTTP ${response.status} ${response.body.toString('utf8', 0, DETAIL_CHARS)}`);
    this.send();
  }

  /** A failed connection or signature loses its update; the thing goes on with its other connections. */
  #fail(message: string, updateLost: boolean): void {
    if (this.#tally.closing) return;
    if (updateLost) {
      this.#unanswered--;
      this.#tally.lost++;
    }
    this.#tally.report(`bench-${this.#index}: ${message}`);
  }
}
