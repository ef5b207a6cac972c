/**
 * @module iam/authorizer — decides MQTT CONNECT and everything a connection does afterwards, by IoT
 * policy (AWS IoT §2.2, §5.3).
 *
 * Each decision is evaluated once per connection and cached until anything in identity changes (the
 * change feed's version moves), so the broker's hot path pays a map lookup. Every denial is logged once,
 * with the client, the action, the resource and the statement that decided it, and counted.
 */
import type { ChangeFeed } from '../core/change-feed.js';
import type { Logger } from '../core/logger.js';
import { ReasonCode } from '../mqtt/codec/reason-codes.js';
import type { Authenticator, ClientAccess, ConnectAttempt, ConnectDecision, MqttAction, PeerIdentity } from '../mqtt/auth.js';
import type { Registry } from '../registry/registry.js';
import type { Certificates } from './certificates.js';
import type { Policies } from './policies.js';
import { bindVariables, describeDecision, evaluate, type CompiledPolicy, type Decision, type VariableResolver } from './policy/index.js';
import { connectionVariables, ipOf } from './variables.js';
import type { Arns } from './arns.js';

export type CheckedAction = 'connect' | MqttAction;

export interface AuthorizerMetrics {
  denied: Record<CheckedAction, number>;
}

export interface AuthorizerDeps {
  certificates: Certificates;
  policies: Policies;
  registry: Registry;
  changes: ChangeFeed;
  arns: Arns;
  logger: Logger;
  /** Anonymous (no certificate) clients: refused, or accepted under an optional policy. */
  anonymous: { allowed: boolean; policy: CompiledPolicy | undefined };
}

const IOT_ACTION: Readonly<Record<CheckedAction, string>> = {
  connect: 'iot:Connect',
  publish: 'iot:Publish',
  retain: 'iot:RetainPublish',
  subscribe: 'iot:Subscribe',
  receive: 'iot:Receive',
};

/** Bounds the memory one connection's cache can take (a few hundred KiB at most); a client touching more
 *  topics than this (a backend subscribed to a whole fleet) re-evaluates, at a few microseconds each. */
const MAX_CACHED_DECISIONS = 4096;

export class MqttAuthorizer implements Authenticator {
  readonly metrics: AuthorizerMetrics = { denied: { connect: 0, publish: 0, retain: 0, subscribe: 0, receive: 0 } };
  readonly #deps: AuthorizerDeps;

  constructor(deps: AuthorizerDeps) {
    this.#deps = deps;
  }

  authenticate(attempt: ConnectAttempt): ConnectDecision {
    const { peer } = attempt;
    if (peer === undefined && !this.#deps.anonymous.allowed) {
      return { ok: false, reasonCode: ReasonCode.NotAuthorized, reason: 'anonymous MQTT clients are accepted only while hako listens on loopback; connect over TLS with a client certificate' };
    }
    if (peer?.kind === 'certificate') {
      // The certificate passed the TLS check moments ago; its status may have changed since.
      const record = this.#deps.certificates.get(peer.id);
      if (record === undefined || record.status !== 'ACTIVE') {
        return { ok: false, reasonCode: ReasonCode.NotAuthorized, reason: `certificate ${peer.id} is ${record?.status ?? 'no longer registered'}` };
      }
    }
    const connectAttributes = [...(attempt.cleanStart ? [] : ['PersistentConnect']), ...(attempt.hasWill ? ['LastWill'] : [])];
    const access = this.#accessOf(attempt.clientId, peer, ipOf(attempt.remoteAddress), connectAttributes);
    if (access === undefined) return { ok: true, access: undefined };
    const resource = this.#deps.arns.client(attempt.clientId);
    const decision = evaluate(access.policies(), IOT_ACTION.connect, resource, access.variables);
    if (!decision.allowed) {
      this.#denied(attempt.clientId, access.principal, 'connect', resource, decision);
      return { ok: false, reasonCode: ReasonCode.NotAuthorized, reason: `iot:Connect on ${resource}: ${describeDecision(decision)}` };
    }
    return { ok: true, access };
  }

  accessFor(clientId: string, peer: PeerIdentity | undefined): ClientAccess | undefined {
    // An anonymous session restored on a host no longer on loopback may receive nothing.
    if (peer === undefined && !this.#deps.anonymous.allowed) return new PolicyAccess(clientId, undefined, () => [], () => undefined, this);
    // Its connection's address is gone with the connection; the session was persistent.
    return this.#accessOf(clientId, peer, '', ['PersistentConnect']);
  }

  /** What a principal may do on this connection; undefined when unrestricted (access keys, anonymous without a policy). */
  #accessOf(clientId: string, peer: PeerIdentity | undefined, sourceIp: string, connectAttributes: string[]): PolicyAccess | undefined {
    const { anonymous, certificates, policies, arns } = this.#deps;
    if (peer?.kind === 'access-key') return undefined; // hako's access keys are administrators
    if (peer === undefined) {
      const policy = anonymous.policy;
      if (policy === undefined) return undefined;
      return new PolicyAccess(clientId, undefined, () => [policy], connectionVariables({ clientId, principal: undefined, certificate: undefined, sourceIp, connectAttributes }, this.#deps.registry), this);
    }
    const certificateArn = arns.cert(peer.id);
    // A certificate that is no longer ACTIVE grants nothing, whatever is attached to it.
    const policiesOf = (): readonly CompiledPolicy[] => (certificates.get(peer.id)?.status === 'ACTIVE' ? policies.policiesFor(certificateArn) : []);
    const variables = connectionVariables({ clientId, principal: certificateArn, certificate: certificates.info(peer.id), sourceIp, connectAttributes }, this.#deps.registry);
    return new PolicyAccess(clientId, certificateArn, policiesOf, variables, this);
  }

  /** Logged and counted here, once per cached decision; the broker only sees false. */
  #denied(clientId: string, principal: string | undefined, action: CheckedAction, resource: string, decision: Decision): void {
    this.metrics.denied[action]++;
    this.#deps.logger.warn(
      { clientId, principal, action: IOT_ACTION[action], resource, policy: decision.policyName, statement: decision.statementIndex, sid: decision.sid },
      `denied ${IOT_ACTION[action]} on ${resource}: ${describeDecision(decision)}`,
    );
  }

  /**
   * An HTTPS data-plane request made with a client certificate instead of a signature: allowed when the
   * certificate is ACTIVE and its policies allow every permission (`resource` is the ARN's resource part,
   * e.g. `thing/lamp`). There is no client id, so `iot:ClientId` and the `iot:Connection.Thing.*`
   * variables are unset; certificate variables and `aws:SourceIp` resolve. Not cached: a request is rare
   * next to MQTT traffic. The caller logs the refusal.
   */
  authorizeCertificateRequest(certificateId: string, sourceIp: string, permissions: readonly { action: string; resource: string }[]): { allowed: true } | { allowed: false; reason: string } {
    const { certificates, policies, arns } = this.#deps;
    const record = certificates.get(certificateId);
    if (record === undefined || record.status !== 'ACTIVE') return { allowed: false, reason: `certificate ${certificateId} is ${record?.status ?? 'not registered'}` };
    const certificateArn = arns.cert(certificateId);
    const connection = connectionVariables({ clientId: '', principal: certificateArn, certificate: certificates.info(certificateId), sourceIp, connectAttributes: [] }, this.#deps.registry);
    const variables: VariableResolver = (name) => (name === 'iot:ClientId' || name.startsWith('iot:Connection.') ? undefined : connection(name));
    const bound = bindVariables(policies.policiesFor(certificateArn), variables);
    for (const { action, resource } of permissions) {
      const arn = arns.resource(resource);
      const decision = evaluate(bound, action, arn, variables);
      if (!decision.allowed) return { allowed: false, reason: `${action} on ${arn}: ${describeDecision(decision)}` };
    }
    return { allowed: true };
  }

  /** For PolicyAccess: one decision, evaluated and (when denied) reported. */
  decide(access: PolicyAccess, action: MqttAction, name: string): boolean {
    const resource = action === 'subscribe' ? this.#deps.arns.topicFilter(name) : this.#deps.arns.topic(name);
    const decision = evaluate(access.boundPolicies(), IOT_ACTION[action], resource, access.variables);
    if (!decision.allowed) this.#denied(access.clientId, access.principal, action, resource, decision);
    return decision.allowed;
  }

  get changeVersion(): number {
    return this.#deps.changes.version;
  }
}

/** One connection's permissions, with its decision cache: one map per action, keyed by topic or filter, so
 *  a cached answer costs one lookup and no allocation. */
class PolicyAccess implements ClientAccess {
  readonly #cache: Record<MqttAction, Map<string, boolean>> = { publish: new Map(), retain: new Map(), subscribe: new Map(), receive: new Map() };
  #cached = 0;
  #version: number;
  /** The connection's policies with its variables substituted, made on first use after each change. */
  #bound: readonly CompiledPolicy[] | undefined;

  constructor(
    readonly clientId: string,
    readonly principal: string | undefined,
    readonly policies: () => readonly CompiledPolicy[],
    readonly variables: VariableResolver,
    private readonly authorizer: MqttAuthorizer,
  ) {
    this.#version = authorizer.changeVersion;
  }

  allows(action: MqttAction, name: string): boolean {
    const version = this.authorizer.changeVersion;
    if (version !== this.#version) {
      this.#clear();
      this.#bound = undefined;
      this.#version = version;
    }
    const cache = this.#cache[action];
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const allowed = this.authorizer.decide(this, action, name);
    if (this.#cached >= MAX_CACHED_DECISIONS) this.#clear();
    cache.set(name, allowed);
    this.#cached++;
    return allowed;
  }

  boundPolicies(): readonly CompiledPolicy[] {
    return (this.#bound ??= bindVariables(this.policies(), this.variables));
  }

  #clear(): void {
    for (const cache of Object.values(this.#cache)) cache.clear();
    this.#cached = 0;
  }
}
