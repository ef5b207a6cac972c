/** @module bench/brokers — the brokers the bench can run, by command-line name. */
import type { BrokerStarter } from './broker-handle.js';
import { startAedes } from './aedes.js';
import { startForwarder } from './forwarder.js';
import { startHako } from './hako.js';
import { startHakoWithPolicy } from './hako-policy.js';
import { startHakoWithRules } from './hako-rules.js';
import { startMosquitto } from './mosquitto.js';

export type { BrokerHandle, BrokerStarter, HttpEndpoint, StartOptions, TlsClientCredentials, TlsEndpoint } from './broker-handle.js';

export const BROKERS: Readonly<Record<string, BrokerStarter>> = {
  hako: startHako,
  'hako-policy': startHakoWithPolicy,
  'hako-rules10': startHakoWithRules(10),
  'hako-rules100': startHakoWithRules(100),
  'hako-fleet100': startHakoWithRules(100, 'fleet'),
  mosquitto: startMosquitto,
  aedes: startAedes,
  forwarder: startForwarder,
};

export const BROKER_NAMES = Object.keys(BROKERS);

/** hako with topic rules on `hako-bench/#`: the publish/subscribe scenarios are the only ones they change. */
export const RULES_BROKER_NAMES: readonly string[] = BROKER_NAMES.filter((name) => name.startsWith('hako-rules') || name.startsWith('hako-fleet'));

/**
 * What `--brokers` defaults to: all but the rules variants, which are opt-in. They measure one hako
 * feature, not hako next to the other brokers; in a run with them the latency scenario's rate would be
 * half of their QoS 1 throughput, changing every broker's latency figures; and they add a third to the run.
 */
export const DEFAULT_BROKER_NAMES = BROKER_NAMES.filter((name) => !RULES_BROKER_NAMES.includes(name));

/** Brokers whose starters honour `tlsClients`: the ones the tls-connect scenario runs. */
export const TLS_BROKER_NAMES: readonly string[] = ['hako', 'mosquitto', 'aedes', 'forwarder'];

/** Brokers with hako's Device Shadow service: the ones the shadow scenarios run. */
export const SHADOW_BROKER_NAMES: readonly string[] = ['hako', 'hako-policy'];

/**
 * Brokers the function scenarios run. `hako-policy` has functions too, but its policy is for anonymous
 * MQTT clients, and the Lambda API is signed: it would measure hako's function path a second time.
 */
export const FUNCTION_BROKER_NAMES: readonly string[] = ['hako'];

/** Brokers the Firehose and stream-to-function scenarios run: hako's streams, once (no policy applies to them). */
export const STREAM_BROKER_NAMES: readonly string[] = ['hako'];
