/**
 * @module mqtt/auth — what the broker asks of identity, and nothing more.
 *
 * The transport tells who is on the other end (a verified client certificate, a SigV4-signed WebSocket),
 * CONNECT asks an `Authenticator` whether that peer may connect with this client id, and the answer
 * carries a `ClientAccess` that the channel and broker consult for every publish, subscribe and delivery.
 * `src/iam/` implements these; the broker never sees a policy.
 */

/** Who the transport says is connecting; verified before any MQTT packet is read. */
export interface PeerIdentity {
  readonly kind: 'certificate' | 'access-key';
  /** Certificate id (SHA-256 of the DER) or access key id. */
  readonly id: string;
}

export interface ConnectAttempt {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly peer: PeerIdentity | undefined;
  /** `address:port` of the client. */
  readonly remoteAddress: string;
  readonly cleanStart: boolean;
  readonly hasWill: boolean;
}

/** The checks after CONNECT; each answers from a per-connection cache after the first time. */
export type MqttAction = 'publish' | 'retain' | 'subscribe' | 'receive';

export interface ClientAccess {
  /** The principal behind the connection (a certificate ARN), so revoking it can end the connection. */
  readonly principal: string | undefined;
  /** True when allowed; a denial is logged and counted by the implementation, once. */
  allows(action: MqttAction, name: string): boolean;
}

/** `access` undefined means unrestricted (anonymous on loopback with no policy configured, root keys). */
export type ConnectDecision = { ok: true; access: ClientAccess | undefined } | { ok: false; reasonCode: number; reason: string };

export interface Authenticator {
  authenticate(attempt: ConnectAttempt): ConnectDecision;
  /** The access of a persistent session restored at start-up, whose client has not connected again yet:
   *  what `peer` may receive now (a certificate no longer ACTIVE may receive nothing). */
  accessFor(clientId: string, peer: PeerIdentity | undefined): ClientAccess | undefined;
}
