/** @module bench/brokers/broker-handle — what the orchestrator knows about a running broker under test. */
import type { LoadResult } from '../load/config.js';

/** One identity a TLS load connects with: its MQTT client id and its client certificate (PEM). */
export interface TlsClientCredentials {
  readonly clientId: string;
  readonly certificatePem: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

/** A broker's MQTT-over-TLS listener (client certificates required) and who may connect to it. */
export interface TlsEndpoint {
  readonly port: number;
  /** The CA that signed the broker's server certificate (and, for the bench's own CAs, the clients'). */
  readonly caPem: string;
  readonly clients: readonly TlsClientCredentials[];
}

/** hako's HTTP data plane and the access key its API requests are signed with (SigV4). */
export interface HttpEndpoint {
  readonly port: number;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The region hako runs as, for the signature's credential scope. */
  readonly region: string;
}

export interface BrokerHandle {
  /** Broker name as given on the command line. */
  readonly name: string;
  /** Name and version for the report header, e.g. `mosquitto 2.0.11`. */
  readonly label: string;
  readonly port: number;
  /** Process whose RSS and CPU time the report quotes. */
  readonly pid: number;
  /** Present when the broker was started with `tlsClients`. */
  readonly tls?: TlsEndpoint | undefined;
  /** hako's HTTP data plane (hako-family brokers only: the others have no Device Shadow). */
  readonly http?: HttpEndpoint | undefined;
  /**
   * Checks the broker's own side of a finished load (the rules variants: did the engine evaluate every
   * message?); the problems it returns mark the cell ✗.
   */
  check?(result: LoadResult): Promise<string[]>;
  /** Stops the broker and removes its temporary files. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Also listen for MQTT over TLS with client certificates, and provide this many client identities. */
  readonly tlsClients?: number;
}

/** Starts one broker instance on a loopback port; rejects with a readable reason if it cannot. */
export type BrokerStarter = (options?: StartOptions) => Promise<BrokerHandle>;
