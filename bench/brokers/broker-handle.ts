/** @module bench/brokers/broker-handle — what the orchestrator knows about a running broker under test. */

export interface BrokerHandle {
  /** Broker name as given on the command line. */
  readonly name: string;
  /** Name and version for the report header, e.g. `mosquitto 2.0.11`. */
  readonly label: string;
  readonly port: number;
  /** Process whose RSS and CPU time the report quotes. */
  readonly pid: number;
  /** Stops the broker and removes its temporary files. */
  stop(): Promise<void>;
}

/** Starts one broker instance on a loopback port; rejects with a readable reason if it cannot. */
export type BrokerStarter = () => Promise<BrokerHandle>;
