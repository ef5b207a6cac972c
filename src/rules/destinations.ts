/**
 * @module rules/destinations — topic rule destinations for the http action (spec §4.6; AWS "rule-destination"):
 * a confirmation URL that hako must hear back from before the action posts anything under it.
 *
 * Creating one (CreateTopicRuleDestination, or a rule whose http action's URL no destination covers yet) POSTs
 * `<confirmationUrl>?confirmationToken=<token>` with header `x-amz-rules-engine-message-type:
 * DestinationConfirmation` and body `{arn, confirmationToken, enableUrl, messageType}`; the endpoint confirms
 * by GETting `enableUrl` (hako's ConfirmTopicRuleDestination, no signature: the token is the secret) or passing
 * the token to ConfirmTopicRuleDestination. States: IN_PROGRESS → ENABLED ⇄ DISABLED, ERROR when the
 * confirmation could not be sent. Setting IN_PROGRESS sends it again.
 *
 * hako's deviation, for endpoints that cannot answer a handshake (a home automation hub's webhook): the root
 * user may set ENABLED directly with UpdateTopicRuleDestination; AWS requires the confirmation first.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';

export type DestinationStatus = 'ENABLED' | 'IN_PROGRESS' | 'DISABLED' | 'ERROR';
const STATUSES: readonly DestinationStatus[] = ['ENABLED', 'IN_PROGRESS', 'DISABLED', 'ERROR'];

export interface DestinationRecord {
  arn: string;
  confirmationUrl: string;
  status: DestinationStatus;
  statusReason: string;
  /** The secret the endpoint hands back; kept until the destination is confirmed. */
  confirmationToken: string;
  /** Epoch ms. */
  createdAt: number;
  lastUpdatedAt: number;
}

/** Posts a confirmation request; resolves with the HTTP status or rejects with why it could not be sent. */
export type SendConfirmation = (url: string, headers: Record<string, string>, body: string) => Promise<number>;

export interface DestinationsOptions {
  records: RecordStore;
  clock: Clock;
  logger: Logger;
  /** `arn:aws:iot:<region>:<account>:` */
  arnPrefix: string;
  /** Where endpoints confirm: `<base>/confirmdestination/<token>`; hako's HTTP address, known once it listens. */
  confirmBase: () => string;
  send: SendConfirmation;
}

export const DESTINATION_COLLECTION = 'rules.destinations';
const MAX_PAGE = 200;

export class TopicRuleDestinations {
  readonly #records = new Map<string, DestinationRecord>();
  readonly #store: RecordCollection<DestinationRecord>;
  readonly #o: DestinationsOptions;

  private constructor(store: RecordCollection<DestinationRecord>, options: DestinationsOptions) {
    this.#store = store;
    this.#o = options;
  }

  static async open(options: DestinationsOptions): Promise<TopicRuleDestinations> {
    const store = options.records.collection<DestinationRecord>(DESTINATION_COLLECTION);
    const destinations = new TopicRuleDestinations(store, options);
    for (const [arn, record] of await store.loadAll()) destinations.#records.set(arn, record);
    return destinations;
  }

  /** CreateTopicRuleDestination: stored IN_PROGRESS, then the confirmation is sent (ERROR if it cannot be). */
  async create(confirmationUrl: string): Promise<DestinationRecord> {
    checkConfirmationUrl(confirmationUrl);
    const existing = [...this.#records.values()].find((record) => record.confirmationUrl === confirmationUrl);
    if (existing !== undefined) throw new AwsError('ResourceAlreadyExistsException', `A topic rule destination for ${confirmationUrl} already exists: ${existing.arn}`);
    const now = this.#o.clock.now();
    const record: DestinationRecord = { arn: `${this.#o.arnPrefix}ruledestination/http/${randomUUID()}`, confirmationUrl, status: 'IN_PROGRESS', statusReason: 'Waiting for the confirmation URL to confirm', confirmationToken: newToken(), createdAt: now, lastUpdatedAt: now };
    await this.#save(record);
    void this.#sendConfirmation(record);
    return record;
  }

  /** The destination whose confirmation URL is the longest prefix of `url`, if any. */
  covering(url: string): DestinationRecord | undefined {
    let best: DestinationRecord | undefined;
    for (const record of this.#records.values()) {
      if (url.startsWith(record.confirmationUrl) && (best === undefined || record.confirmationUrl.length > best.confirmationUrl.length)) best = record;
    }
    return best;
  }

  /** A destination for `confirmationUrl` exists afterwards: the one covering it, or a new one. */
  async ensure(confirmationUrl: string): Promise<DestinationRecord> {
    return this.covering(confirmationUrl) ?? (await this.create(confirmationUrl));
  }

  get(arn: string): DestinationRecord {
    const record = this.#records.get(arn);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Topic rule destination ${arn} does not exist`);
    return record;
  }

  list(nextToken: string | undefined, maxResults: number | undefined): Page<DestinationRecord> {
    const sorted = [...this.#records.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    return pageOf(sorted, (record) => record.arn, nextToken, maxResults, MAX_PAGE);
  }

  /** UpdateTopicRuleDestination. */
  async update(arn: string, status: unknown): Promise<void> {
    const record = { ...this.get(arn) };
    if (typeof status !== 'string' || !STATUSES.includes(status as DestinationStatus) || status === 'ERROR') throw new AwsError('InvalidRequestException', 'status must be ENABLED, DISABLED or IN_PROGRESS');
    record.status = status as DestinationStatus;
    record.lastUpdatedAt = this.#o.clock.now();
    if (status === 'IN_PROGRESS') {
      record.confirmationToken = newToken();
      record.statusReason = 'Waiting for the confirmation URL to confirm';
    } else record.statusReason = status === 'ENABLED' ? 'Enabled by UpdateTopicRuleDestination' : 'Disabled by UpdateTopicRuleDestination';
    await this.#save(record);
    if (status === 'IN_PROGRESS') void this.#sendConfirmation(record);
  }

  /** ConfirmTopicRuleDestination: the token sent to the endpoint enables its destination. */
  async confirm(token: string): Promise<void> {
    const record = [...this.#records.values()].find((candidate) => candidate.confirmationToken === token && candidate.status === 'IN_PROGRESS');
    if (record === undefined) throw new AwsError('InvalidRequestException', 'The confirmation token is not valid or its destination is not waiting for confirmation');
    await this.#save({ ...record, status: 'ENABLED', statusReason: 'Confirmed', lastUpdatedAt: this.#o.clock.now() });
  }

  async delete(arn: string): Promise<void> {
    this.get(arn);
    this.#records.delete(arn);
    await this.#store.delete(arn);
  }

  async #sendConfirmation(record: DestinationRecord): Promise<void> {
    const enableUrl = `${this.#o.confirmBase()}/confirmdestination/${record.confirmationToken}`;
    const body = JSON.stringify({ arn: record.arn, confirmationToken: record.confirmationToken, enableUrl, messageType: 'DestinationConfirmation' });
    const separator = record.confirmationUrl.includes('?') ? '&' : '?';
    let problem: string | undefined;
    try {
      const status = await this.#o.send(`${record.confirmationUrl}${separator}confirmationToken=${record.confirmationToken}`, { 'content-type': 'application/json', 'x-amz-rules-engine-message-type': 'DestinationConfirmation' }, body);
      if (status < 200 || status >= 300) problem = `the confirmation request got HTTP ${status}`;
    } catch (error) {
      problem = `the confirmation request could not be sent: ${(error as Error).message}`;
    }
    if (problem === undefined) return;
    this.#o.logger.warn({ destination: record.arn, confirmationUrl: record.confirmationUrl }, `topic rule destination ${record.confirmationUrl}: ${problem}`);
    const current = this.#records.get(record.arn);
    // Confirmed meanwhile (the endpoint confirmed, then answered with an error): the confirmation stands.
    if (current === undefined || current.status !== 'IN_PROGRESS' || current.confirmationToken !== record.confirmationToken) return;
    await this.#save({ ...current, status: 'ERROR', statusReason: problem, lastUpdatedAt: this.#o.clock.now() }).catch((error: unknown) => this.#o.logger.error({ err: error }, 'storing a topic rule destination failed'));
  }

  async #save(record: DestinationRecord): Promise<void> {
    await this.#store.put(record.arn, record);
    this.#records.set(record.arn, record);
  }
}

/** AWS takes HTTPS only; hako takes `http://` too (home and lab endpoints are plain HTTP more often than not). */
export function checkConfirmationUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AwsError('InvalidRequestException', `confirmationUrl ${url} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AwsError('InvalidRequestException', `confirmationUrl must be an http(s) URL, not ${url}`);
  if (url.includes('${')) throw new AwsError('InvalidRequestException', 'confirmationUrl cannot contain substitution templates');
}

function newToken(): string {
  return randomBytes(32).toString('hex');
}
