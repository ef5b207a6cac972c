/**
 * @module shadow/service — the Device Shadow service: answers `…/shadow[/name/<n>]/{update,get,delete}`
 * requests arriving over MQTT (through the `message.publish` hook) or from the HTTPS data plane (the
 * `update`/`get`/`delete`/`listNamedShadows` methods), against the `ShadowStore`.
 *
 * Each request is one named step list: load (document and, for a re-creation, the deleted version) →
 * the pure operation from `document/` → store (awaited, so `…/accepted` is only published once durable)
 * → publish the responses. Requests for one shadow run one at a time in arrival order (`KeyedQueue`).
 *
 * Choices [spec §3]:
 * - Responses are ordinary QoS 1 publishes, so a QoS 1 subscription in a persistent session queues them
 *   while the device is offline (§3.6 b); a QoS 0 subscriber gets them at QoS 0. AWS does not state the
 *   QoS it uses (§10).
 * - Update order on the wire: `accepted`, then `delta` (when the resulting delta is non-empty), then
 *   `documents`.
 * - The thing need not exist in the registry: shadows exist from their first accepted update and are
 *   independent of things (§3.1).
 * - HTTP requests publish the same success responses (update accepted/delta/documents, delete accepted);
 *   HTTP rejections and get results are only returned (§3.2, §3.8).
 * - A deleted shadow's version is continued by a re-creation within 48 h (§3.3 (4)).
 * - Failures of the store become `500 Internal service failure`, logged once; nothing throws out of the
 *   hook.
 * - More than `maxInFlightPerThing` requests waiting or running for one thing (all its shadows together,
 *   AWS's "10 in-flight per thing") are rejected at once with 429, ahead of the queued requests' answers.
 */

import type { Clock } from '../core/clock.js';
import type { Hooks } from '../core/hooks.js';
import type { Logger } from '../core/logger.js';
import type { Message } from '../mqtt/message.js';
import {
  buildErrorResponse,
  processDelete,
  processGet,
  processUpdate,
  resolveLimits,
  shadowErrors,
  type DeleteOutcome,
  type GetOutcome,
  type LookupContext,
  type Rejection,
  type RequestPayload,
  type ShadowError,
  type ShadowLimits,
  type UpdateContext,
  type UpdateOutcome,
} from './document/index.js';
import { KeyedQueue } from './keyed-queue.js';
import type { ShadowStore } from './store.js';
import { isValidShadowName, isValidThingName, mayBeShadowRequest, parseRequestTopic, responseTopic, type ShadowAddress, type ShadowOperation, type ShadowResponse } from './topics.js';

/** How long a deleted shadow's last version is continued by a re-created shadow [spec §3.3 (4)]. */
export const DELETED_VERSION_MEMORY_MS = 48 * 3600 * 1000;

export interface ShadowServiceDeps {
  broker: { publish(message: Message): void };
  hooks: Hooks;
  store: ShadowStore;
  clock: Clock;
  logger: Logger;
  limits?: Partial<ShadowLimits>;
  /** Requests waiting or running for one thing's shadows at once; more are rejected with 429 (AWS: 10). */
  maxInFlightPerThing?: number;
}

/** AWS IoT's in-flight request limit per thing [spec §3.7]. */
export const DEFAULT_MAX_IN_FLIGHT_PER_THING = 10;

/** Where a request came from: MQTT requests get their rejections and get results published too. */
type Origin = 'mqtt' | 'http';

type Outcome = UpdateOutcome | GetOutcome | DeleteOutcome;

export class ShadowService {
  readonly #deps: ShadowServiceDeps;
  readonly #queue = new KeyedQueue();
  /** thing name → its requests waiting or running. */
  readonly #inFlight = new Map<string, number>();
  readonly #maxInFlight: number;
  readonly #limits: Readonly<ShadowLimits>;
  #unhook: (() => void) | undefined;

  constructor(deps: ShadowServiceDeps) {
    this.#deps = deps;
    this.#maxInFlight = deps.maxInFlightPerThing ?? DEFAULT_MAX_IN_FLIGHT_PER_THING;
    this.#limits = resolveLimits(deps.limits);
  }

  /** Starts answering MQTT requests. */
  start(): void {
    this.#unhook ??= this.#deps.hooks.on('message.publish', ({ message }) => this.#onPublish(message));
  }

  /** Stops taking MQTT requests and waits for the queued ones to finish. */
  async stop(): Promise<void> {
    this.#unhook?.();
    this.#unhook = undefined;
    await this.#queue.drain();
  }

  /** UpdateThingShadow: the accepted document (also published over MQTT with delta and documents). */
  update(thingName: string, shadowName: string | undefined, payload: RequestPayload): Promise<UpdateOutcome> {
    return this.#request({ thingName, ...named(shadowName) }, 'update', payload, 'http') as Promise<UpdateOutcome>;
  }

  /** GetThingShadow: the full document with its delta; nothing is published. */
  get(thingName: string, shadowName: string | undefined, payload: RequestPayload = ''): Promise<GetOutcome> {
    return this.#request({ thingName, ...named(shadowName) }, 'get', payload, 'http') as Promise<GetOutcome>;
  }

  /** DeleteThingShadow: `{version, timestamp}` (also published on `…/delete/accepted`). */
  delete(thingName: string, shadowName: string | undefined, payload: RequestPayload = ''): Promise<DeleteOutcome> {
    return this.#request({ thingName, ...named(shadowName) }, 'delete', payload, 'http') as Promise<DeleteOutcome>;
  }

  /** ListNamedShadowsForThing: live named shadows, sorted; an unknown thing has none [spec §3.8]. */
  listNamedShadows(thingName: string): Promise<string[]> {
    return this.#deps.store.listNamed(thingName);
  }

  #onPublish(message: Message): void {
    if (!mayBeShadowRequest(message.topic)) return;
    const request = parseRequestTopic(message.topic);
    if (request === undefined) return;
    void this.#request(request, request.operation, message.payload, 'mqtt');
  }

  /** Queues one request behind the earlier ones for the same shadow; never rejects. */
  #request(address: ShadowAddress, operation: ShadowOperation, payload: RequestPayload, origin: Origin): Promise<Outcome> {
    const invalid = invalidName(address);
    if (invalid !== undefined) return Promise.resolve(rejection(invalid, undefined));
    const { thingName } = address;
    const inFlight = this.#inFlight.get(thingName) ?? 0;
    if (inFlight >= this.#maxInFlight) {
      const outcome = rejection(shadowErrors.tooManyRequests, clientTokenOf(payload));
      this.#respond(address, operation, outcome, origin);
      return Promise.resolve(outcome);
    }
    this.#inFlight.set(thingName, inFlight + 1);
    const key = `${thingName}\n${address.shadowName ?? ''}`;
    return this.#queue.run(key, async () => {
      let outcome: Outcome;
      try {
        outcome = await this.#execute(address, operation, payload);
      } catch (error) {
        this.#deps.logger.error({ err: error, thingName: address.thingName, shadowName: address.shadowName, operation }, 'shadow request failed');
        outcome = rejection(shadowErrors.internalFailure, clientTokenOf(payload));
      }
      try {
        this.#respond(address, operation, outcome, origin);
      } catch (error) {
        this.#deps.logger.error({ err: error, thingName: address.thingName, shadowName: address.shadowName, operation }, 'publishing a shadow response failed');
      }
      const left = (this.#inFlight.get(thingName) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(thingName);
      else this.#inFlight.set(thingName, left);
      return outcome;
    });
  }

  /** load → operate → store; the caller publishes. */
  async #execute(address: ShadowAddress, operation: ShadowOperation, payload: RequestPayload): Promise<Outcome> {
    const { store } = this.#deps;
    const limits = this.#limits;
    const { thingName, shadowName } = address;
    const now = this.#deps.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const current = await store.get(thingName, shadowName);
    if (operation === 'update') {
      // Contexts are built by assignment rather than spreads: this runs for every update.
      const context: UpdateContext = { nowSeconds, limits };
      const deleted = current === undefined ? await store.deleted(thingName, shadowName) : undefined;
      if (deleted !== undefined && now - deleted.deletedAt < DELETED_VERSION_MEMORY_MS) context.deletedVersion = deleted.version;
      const outcome = processUpdate(current, payload, context);
      if (outcome.ok) await store.put(thingName, shadowName, outcome.document);
      return outcome;
    }
    const lookup: LookupContext = { nowSeconds, thingName, limits };
    if (shadowName !== undefined) lookup.shadowName = shadowName;
    if (operation === 'get') return processGet(current, payload, lookup);
    const outcome = processDelete(current, payload, lookup);
    if (outcome.ok) await store.delete(thingName, shadowName, now);
    return outcome;
  }

  #respond(address: ShadowAddress, operation: ShadowOperation, outcome: Outcome, origin: Origin): void {
    if (!outcome.ok) {
      if (origin === 'mqtt') this.#publish(address, operation, 'rejected', outcome.rejected);
      return;
    }
    if (operation === 'get' && origin === 'http') return;
    this.#publish(address, operation, 'accepted', outcome.accepted);
    if ('documents' in outcome) {
      if (outcome.delta !== undefined) this.#publish(address, 'update', 'delta', outcome.delta);
      this.#publish(address, 'update', 'documents', outcome.documents);
    }
  }

  #publish(address: ShadowAddress, operation: ShadowOperation, response: ShadowResponse, body: object): void {
    this.#deps.broker.publish(new ResponseMessage(responseTopic(address, operation, response), body));
  }
}

/**
 * A QoS 1 response whose JSON is written on first read of `payload`: a response nobody subscribed to and
 * no hook reads (often `update/documents`) is routed without ever being serialized. A class, so the
 * getter lives once on the prototype rather than as a new accessor on every message.
 */
class ResponseMessage implements Message {
  readonly qos = 1;
  readonly retain = false;
  readonly properties = undefined;
  readonly expiresAt = undefined;
  readonly origin = undefined;
  readonly #body: object;
  #payload: Buffer | undefined;

  constructor(
    readonly topic: string,
    body: object,
  ) {
    this.#body = body;
  }

  get payload(): Buffer {
    return (this.#payload ??= Buffer.from(JSON.stringify(this.#body)));
  }
}

function named(shadowName: string | undefined): { shadowName?: string } {
  return shadowName === undefined ? {} : { shadowName };
}

function rejection(error: ShadowError, clientToken: string | undefined): Rejection {
  return { ok: false, error, rejected: buildErrorResponse(error, clientToken === undefined ? {} : { clientToken }) };
}

/** Names from the HTTP API (MQTT topics were checked when parsed). */
function invalidName(address: ShadowAddress): ShadowError | undefined {
  if (!isValidThingName(address.thingName)) return { code: 400, message: 'Invalid thing name' };
  if (address.shadowName !== undefined && !isValidShadowName(address.shadowName)) return { code: 400, message: 'Invalid shadow name' };
  return undefined;
}

/** Best effort, for a 500: the token of a payload that may not even be JSON. */
function clientTokenOf(payload: RequestPayload): string | undefined {
  try {
    const body: unknown = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
    const token = typeof body === 'object' && body !== null ? (body as { clientToken?: unknown }).clientToken : undefined;
    return typeof token === 'string' && token.length <= 64 ? token : undefined;
  } catch {
    return undefined;
  }
}
