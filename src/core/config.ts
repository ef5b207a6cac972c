/**
 * @module core/config — hako's settings: schema, defaults and the precedence
 * flags > `HAKO_*` environment > `hako.yaml` project file > defaults (see shared/architecture.md).
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { HakoError } from './errors.js';

/** Broker limits and defaults; AWS IoT Core's values where AWS has one (specs/aws-iot-core.md §2.7, §7). */
export interface MqttSettings {
  /** Largest MQTT packet accepted (bytes); advertised as v5 Maximum Packet Size. */
  maxPacketSize: number;
  /** Largest PUBLISH payload accepted (bytes). AWS IoT: 128 KiB. */
  maxPayloadSize: number;
  /** Longest topic name (UTF-8 bytes). AWS IoT: 256. */
  maxTopicLength: number;
  /** Most levels in a topic name or filter. AWS IoT: 8 (seven slashes). */
  maxTopicLevels: number;
  /** Most subscriptions one session may hold. AWS IoT: 50. */
  maxSubscriptionsPerClient: number;
  /** Most concurrent MQTT connections. */
  maxConnections: number;
  /** Largest keep-alive granted, seconds; longer (or 0) requests get a v5 Server Keep Alive. 0 = no cap. */
  maxKeepAlive: number;
  /** Inbound QoS 1/2 publishes a client may have unacknowledged (v5 Receive Maximum we advertise). */
  receiveMaximum: number;
  /** Outbound QoS 1/2 messages in flight per client, further capped by the client's Receive Maximum. */
  maxInflightOutbound: number;
  /** Bytes waiting in a client's socket above which QoS 0 messages to it are dropped (it is not reading). */
  maxOutboundBuffer: number;
  /** Topic aliases a client may set towards us (v5 Topic Alias Maximum we advertise). */
  topicAliasMaximum: number;
  /** Messages queued per session (offline or beyond the inflight window); excess is dropped and counted. */
  maxQueuedMessages: number;
  /** Session expiry for MQTT 3.1.1 clean-session-0 clients, seconds. AWS IoT: 1 h. */
  persistentSessionExpiry: number;
  /** Largest session expiry granted to v5 clients, seconds; larger requests are clamped. AWS IoT: 7 days. */
  maxSessionExpiry: number;
  /** Publishes per second a connection may send; 0 = unlimited. AWS IoT: 100. */
  maxPublishRate: number;
  /** SUBACK reason code for a subscription a policy denies, MQTT 5 clients: 0x87 Not authorized (AWS IoT), or
   *  0x80 Unspecified error (what the Paho interoperability suite expects). 3.1.1 clients always get 0x80. */
  subscribeDeniedReasonCode: number;
}

/** Identity and access (src/iam). */
export interface IamSettings {
  /** An IoT policy document (JSON text, or a mapping in hako.yaml) that governs anonymous MQTT clients,
   *  which are accepted on loopback only; undefined = they may do anything. */
  anonymousPolicy: string | undefined;
  /** DNS names and IP addresses hako's server certificate covers besides localhost, 127.0.0.1 and ::1. */
  serverNames: string[];
  /** How far a SigV4 request's X-Amz-Date may be from hako's clock, seconds (AWS: 5 minutes). */
  maxClockSkew: number;
}

/** Device Shadow limits; AWS IoT's values by default (specs/aws-iot-core.md §3.7). */
export interface ShadowSettings {
  /** Largest desired + reported JSON of a document, bytes (413 beyond). AWS: 8 KB; Greengrass allows 30 KB. */
  maxStateBytes: number;
  /** Deepest nesting inside desired/reported (400 beyond). AWS: 6. */
  maxDepth: number;
  /** Requests waiting or running for one thing's shadows at once; more are rejected with 429. AWS: 10. */
  maxInFlightPerThing: number;
}

/** Functions (src/functions); AWS Lambda's values by default (specs/lambda-apigw-streams.md §3, §4). */
export interface FunctionsSettings {
  /** Invocations that may run at once across all functions (AWS's regional default: 1,000). */
  concurrency: number;
  /** Seconds an execution environment may stay idle before it is stopped. */
  idleTimeout: number;
  /** Seconds before the first retry of a failed asynchronous invocation; the second waits twice as long. AWS: ~60. */
  asyncRetryDelay: number;
}

export interface HakoConfig {
  dataDir: string;
  host: string;
  mqttPort: number;
  mqttsPort: number;
  httpPort: number;
  /** HTTPS (APIs, WSS /mqtt) and MQTT over TLS by ALPN `x-amzn-mqtt-ca` on one port, as AWS IoT's 443; off unless set. */
  httpsPort: number | undefined;
  store: string;
  natsUrl: string | undefined;
  region: string;
  account: string;
  logLevel: string;
  mqtt: MqttSettings;
  iam: IamSettings;
  shadow: ShadowSettings;
  functions: FunctionsSettings;
}

export const defaultMqttSettings: MqttSettings = {
  maxPacketSize: 128 * 1024 + 4 * 1024,
  maxPayloadSize: 128 * 1024,
  maxTopicLength: 256,
  maxTopicLevels: 8,
  maxSubscriptionsPerClient: 50,
  maxConnections: 100_000,
  maxKeepAlive: 1200,
  receiveMaximum: 100,
  maxInflightOutbound: 1000,
  maxOutboundBuffer: 8 * 1024 * 1024,
  topicAliasMaximum: 8,
  maxQueuedMessages: 10_000,
  persistentSessionExpiry: 3600,
  maxSessionExpiry: 7 * 24 * 3600,
  maxPublishRate: 0,
  subscribeDeniedReasonCode: 0x87,
};

export const defaultIamSettings: IamSettings = {
  anonymousPolicy: undefined,
  serverNames: [],
  maxClockSkew: 300,
};

export const defaultShadowSettings: ShadowSettings = {
  maxStateBytes: 8192,
  maxDepth: 6,
  maxInFlightPerThing: 10,
};

export const defaultFunctionsSettings: FunctionsSettings = {
  concurrency: 1000,
  idleTimeout: 600,
  asyncRetryDelay: 60,
};

export const defaultConfig: HakoConfig = {
  dataDir: './.hako',
  host: '127.0.0.1',
  mqttPort: 1883,
  mqttsPort: 8883,
  httpPort: 8080,
  httpsPort: undefined,
  store: 'sqlite',
  natsUrl: undefined,
  region: 'us-east-1',
  account: '000000000000',
  logLevel: 'info',
  mqtt: defaultMqttSettings,
  iam: defaultIamSettings,
  shadow: defaultShadowSettings,
  functions: defaultFunctionsSettings,
};

/** A partial config as one source (flags, environment or project file) supplies it. */
export type ConfigLayer = Partial<Omit<HakoConfig, 'mqtt' | 'iam' | 'shadow' | 'functions'>> & {
  functions?: Partial<FunctionsSettings>;
  mqtt?: Partial<MqttSettings>;
  iam?: Partial<Omit<IamSettings, 'anonymousPolicy'>> & { anonymousPolicy?: unknown };
  shadow?: Partial<ShadowSettings>;
};

/** The flag and environment names of each top-level setting (the table in shared/architecture.md). */
export const settingNames = {
  dataDir: { flag: '--data-dir', env: 'HAKO_DATA_DIR' },
  host: { flag: '--host', env: 'HAKO_HOST' },
  mqttPort: { flag: '--mqtt-port', env: 'HAKO_MQTT_PORT' },
  mqttsPort: { flag: '--mqtts-port', env: 'HAKO_MQTTS_PORT' },
  httpPort: { flag: '--http-port', env: 'HAKO_HTTP_PORT' },
  httpsPort: { flag: '--https-port', env: 'HAKO_HTTPS_PORT' },
  store: { flag: '--store', env: 'HAKO_STORE' },
  natsUrl: { flag: '--nats', env: 'HAKO_NATS_URL' },
  region: { flag: '--region', env: 'HAKO_REGION' },
  account: { flag: '--account', env: 'HAKO_ACCOUNT' },
  logLevel: { flag: '--log-level', env: 'HAKO_LOG_LEVEL' },
} as const satisfies Record<keyof Omit<HakoConfig, 'mqtt' | 'iam' | 'shadow' | 'functions'>, { flag: string; env: string }>;

const portSettings = new Set(['mqttPort', 'mqttsPort', 'httpPort', 'httpsPort']);

/** Reads the top-level settings from `HAKO_*` variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigLayer {
  const layer: Record<string, unknown> = {};
  for (const [key, names] of Object.entries(settingNames)) {
    const value = env[names.env];
    if (value !== undefined && value !== '') layer[key] = portSettings.has(key) ? parsePort(value, names.env) : value;
  }
  return layer as ConfigLayer;
}

/** Reads `hako.yaml` (or the given path); a missing default file is an empty layer. */
export function configFromFile(path: string, required: boolean): ConfigLayer {
  if (!existsSync(path)) {
    if (required) throw new HakoError('CONFIG_FILE_UNREADABLE', [path, 'no such file']);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    // The YAML parser's message goes on with a code excerpt over several lines: keep the first, which has the position.
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/:$/, '');
    throw new HakoError('CONFIG_FILE_UNREADABLE', [path, reason], { cause: error });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HakoError('CONFIG_INVALID', [`${path} must hold a mapping of settings`]);
  }
  return parsed as ConfigLayer;
}

export function parsePort(value: string | number, source: string): number {
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HakoError('CONFIG_INVALID', [`${source} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`]);
  }
  return port;
}

/** Merges layers, highest precedence first, over the defaults, and validates the result. */
export function resolveConfig(...layers: ConfigLayer[]): HakoConfig {
  const merged: HakoConfig = { ...defaultConfig, mqtt: { ...defaultMqttSettings }, iam: { ...defaultIamSettings }, shadow: { ...defaultShadowSettings }, functions: { ...defaultFunctionsSettings } };
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === 'mqtt') Object.assign(merged.mqtt, value);
      else if (key === 'iam') Object.assign(merged.iam, value);
      else if (key === 'shadow') Object.assign(merged.shadow, value);
      else if (key === 'functions') Object.assign(merged.functions, value);
      else if (key in defaultConfig) (merged as unknown as Record<string, unknown>)[key] = value;
      else throw new HakoError('CONFIG_INVALID', [`unknown setting "${key}"`]);
    }
  }
  validateConfig(merged);
  return merged;
}

function validateConfig(config: HakoConfig): void {
  for (const key of portSettings) {
    const value = config[key as 'mqttPort' | 'httpsPort'];
    if (value !== undefined) config[key as 'mqttPort'] = parsePort(value, key);
  }
  for (const [key, value] of Object.entries(config.mqtt)) {
    if (!(key in defaultMqttSettings)) throw new HakoError('CONFIG_INVALID', [`unknown setting "mqtt.${key}"`]);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new HakoError('CONFIG_INVALID', [`mqtt.${key} must be a whole number ≥ 0, got ${JSON.stringify(value)}`]);
    }
  }
  if (config.mqtt.receiveMaximum < 1 || config.mqtt.receiveMaximum > 65535) {
    throw new HakoError('CONFIG_INVALID', ['mqtt.receiveMaximum must be from 1 to 65535']);
  }
  if (config.mqtt.topicAliasMaximum > 65535) throw new HakoError('CONFIG_INVALID', ['mqtt.topicAliasMaximum must be at most 65535']);
  if (config.mqtt.subscribeDeniedReasonCode !== 0x80 && config.mqtt.subscribeDeniedReasonCode !== 0x87) {
    throw new HakoError('CONFIG_INVALID', ['mqtt.subscribeDeniedReasonCode must be 128 (0x80) or 135 (0x87)']);
  }
  validateIam(config.iam);
  for (const [key, value] of Object.entries(config.functions)) {
    if (!(key in defaultFunctionsSettings)) throw new HakoError('CONFIG_INVALID', [`unknown setting "functions.${key}"`]);
    // asyncRetryDelay may be fractional (tests and impatient developers); the others are whole numbers.
    const whole = key !== 'asyncRetryDelay';
    if (typeof value !== 'number' || !(value > 0) || (whole && !Number.isInteger(value))) {
      throw new HakoError('CONFIG_INVALID', [`functions.${key} must be a ${whole ? 'whole ' : ''}number > 0, got ${JSON.stringify(value)}`]);
    }
  }
  if (config.functions.concurrency < 100) throw new HakoError('CONFIG_INVALID', ['functions.concurrency must be at least 100 (100 always stay unreserved, as on AWS)']);
  for (const [key, value] of Object.entries(config.shadow)) {
    if (!(key in defaultShadowSettings)) throw new HakoError('CONFIG_INVALID', [`unknown setting "shadow.${key}"`]);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new HakoError('CONFIG_INVALID', [`shadow.${key} must be a whole number ≥ 1, got ${JSON.stringify(value)}`]);
    }
  }
}

function validateIam(iam: IamSettings): void {
  for (const key of Object.keys(iam)) {
    if (!(key in defaultIamSettings)) throw new HakoError('CONFIG_INVALID', [`unknown setting "iam.${key}"`]);
  }
  const policy: unknown = iam.anonymousPolicy;
  // A mapping in hako.yaml is the document itself; identity parses and checks it at start.
  if (policy !== undefined && policy !== null && typeof policy === 'object') iam.anonymousPolicy = JSON.stringify(policy);
  else if (policy !== undefined && typeof policy !== 'string') throw new HakoError('CONFIG_INVALID', ['iam.anonymousPolicy must be a policy document (a mapping or JSON text)']);
  if (!Array.isArray(iam.serverNames) || !iam.serverNames.every((name) => typeof name === 'string' && name !== '')) {
    throw new HakoError('CONFIG_INVALID', ['iam.serverNames must be a list of host names or IP addresses']);
  }
  if (typeof iam.maxClockSkew !== 'number' || !Number.isInteger(iam.maxClockSkew) || iam.maxClockSkew < 1) {
    throw new HakoError('CONFIG_INVALID', [`iam.maxClockSkew must be a whole number of seconds ≥ 1, got ${JSON.stringify(iam.maxClockSkew)}`]);
  }
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host) || host.startsWith('127.');
}
