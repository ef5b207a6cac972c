/**
 * @module main — the composition root: config → chosen implementations → start and stop in order.
 */
import { mkdirSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { createServer as createPlainHttpServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo, Server } from 'node:net';
import type { HakoConfig } from './core/config.js';
import { isLoopbackHost, settingNames } from './core/config.js';
import { HakoError } from './core/errors.js';
import { Hooks } from './core/hooks.js';
import type { Logger } from './core/logger.js';
import { systemClock, type Clock } from './core/clock.js';
import { Broker } from './mqtt/broker.js';
import { openConnection } from './mqtt/connection.js';
import { createTcpServer } from './mqtt/transport/tcp.js';
import { attachWebSocket } from './mqtt/transport/websocket.js';
import { acceptH2c } from './http/h2c.js';
import { createHttpServer } from './http/server.js';
import { startFunctions, type Functions } from './functions/index.js';
import { parseFunctionReference } from './functions/names.js';
import { startRules, type Rules } from './rules/index.js';
import { startGateway, type Gateway, type InvokeOutcome } from './gateway/index.js';
import { EXECUTE_API_BASE, rewriteApiHost } from './http/gateway/serve.js';
import { UsagePlanService } from './gateway/usage-plans/index.js';
import { AwsError } from './core/aws-error.js';
import { WalCheckpointer } from './store/checkpointer.js';
import { openSqlite, type Database } from './store/sqlite.js';
import { SqliteSessionStore } from './mqtt/session/sqlite-session-store.js';
import { SqliteRetainedStore } from './mqtt/session/sqlite-retained-store.js';
import { MemorySessionStore } from './mqtt/session/memory-session-store.js';
import { MemoryRetainedStore } from './mqtt/session/memory-retained-store.js';
import type { RetainedStore, SessionStore } from './mqtt/session/store.js';
import { createTlsServer } from './mqtt/transport/tls.js';
import { ChangeFeed } from './core/change-feed.js';
import { MemoryRecordStore, type RecordStore } from './store/records.js';
import { SqliteRecordStore } from './store/sqlite-records.js';
import { Registry } from './registry/registry.js';
import { startIdentity, type Identity } from './iam/identity.js';
import { arnsFor } from './iam/arns.js';
import { registrationEvent } from './iam/jitr.js';
import { attachLifecycleEvents } from './registry/lifecycle-events.js';
import { registerApis } from './http/apis.js';
import { RecordShadowStore } from './shadow/store.js';
import { ShadowService } from './shadow/service.js';
import { startStreams, type Streams } from './streams/index.js';
import { shardSource } from './streams/shard-source.js';
import { MemoryStreamStore, type StreamStore } from './streams/store.js';
import { SqliteStreamStore } from './streams/sqlite-stream-store.js';
import { defaultBucketsRoot, defaultCatalogRoot, defaultDeliveryBufferRoot, startDelivery, type Delivery } from './streams/delivery/index.js';
import { MemoryDeliveryBufferStore, type DeliveryBufferStore } from './streams/delivery/buffer-store.js';
import { SegmentDeliveryBufferStore } from './streams/delivery/segment-buffer-store.js';
import { lockDataDir } from './store/data-dir-lock.js';
import { moveSqliteBufferRows } from './streams/delivery/sqlite-buffer-store.js';
import { createWarehouse, type Warehouse } from './streams/warehouse/index.js';

export interface Ports {
  mqtt: number;
  mqtts: number;
  http: number;
  /** Only when an HTTPS port is configured. */
  https?: number;
}

export interface RunningHako {
  readonly ports: Ports;
  readonly broker: Broker;
  readonly hooks: Hooks;
  readonly identity: Identity;
  readonly registry: Registry;
  /** The Device Shadow service (MQTT requests are answered through hooks; HTTP calls its methods). */
  readonly shadows: ShadowService;
  /** Lambda-compatible functions: registry, environments, invoker, logs. */
  readonly functions: Functions;
  /** Topic rules and the engine that runs them. */
  readonly rules: Rules;
  /** HTTP APIs (API Gateway v2) in front of functions. */
  readonly gateway: Gateway;
  /** API keys and usage plans (API Gateway v1's API) for HTTP API routes with `apiKeyRequired`. */
  readonly usagePlans: UsagePlanService;
  /** Kinesis-compatible data streams (registry, writer, reader, retention). */
  readonly streams: Streams;
  /** Firehose-compatible delivery streams (registry, buffers, bucket folders, warehouse tables). */
  readonly delivery: Delivery;
  /** The embedded analytical database (`<data-dir>/warehouse.duckdb`), opened on first use. */
  readonly warehouse: Warehouse;
  /** Drains connections, flushes state, closes stores. */
  stop(): Promise<void>;
}

interface Stores {
  sessions: SessionStore;
  retained: RetainedStore;
  records: RecordStore;
  streams: StreamStore;
  deliveryBuffers: DeliveryBufferStore;
  /** Closes what the stores share (the database); after each store's own `close`. */
  close(): Promise<void>;
}

async function openStores(config: HakoConfig, logger: Logger): Promise<Stores> {
  if (config.store === 'memory') {
    return { sessions: new MemorySessionStore(), retained: new MemoryRetainedStore(), records: new MemoryRecordStore(), streams: new MemoryStreamStore(), deliveryBuffers: new MemoryDeliveryBufferStore(), close: async () => undefined };
  }
  if (config.store !== 'sqlite') throw new HakoError('STORE_UNSUPPORTED', [config.store]);
  const file = path.join(config.dataDir, 'hako.db');
  let db: Database;
  try {
    db = openSqlite(file);
  } catch (error) {
    if (error instanceof HakoError) throw error;
    throw new HakoError('DATA_DIR_UNUSABLE', [config.dataDir, `cannot open ${file}: ${(error as Error).message}`], { cause: error });
  }
  const bufferLogger = logger.child({ component: 'delivery' });
  let deliveryBuffers: SegmentDeliveryBufferStore | undefined;
  try {
    deliveryBuffers = SegmentDeliveryBufferStore.open(defaultDeliveryBufferRoot(config.dataDir), { logger: bufferLogger });
    // What a hako before the segment files left in SQLite (until it is all moved, every start tries again).
    await moveSqliteBufferRows(db, deliveryBuffers, bufferLogger);
  } catch (error) {
    await deliveryBuffers?.close();
    db.close();
    if (error instanceof HakoError) throw error;
    throw new HakoError('DATA_DIR_UNUSABLE', [config.dataDir, `cannot open the delivery buffer: ${(error as Error).message}`], { cause: error });
  }
  const checkpointer = new WalCheckpointer(db, logger.child({ component: 'store' }));
  const buffers = deliveryBuffers;
  const close = async (): Promise<void> => {
    await buffers.close(); // a no-op after its own close; closes its files when start-up failed
    await checkpointer.stop();
    db.close();
  };
  return { sessions: new SqliteSessionStore(db), retained: new SqliteRetainedStore(db), records: new SqliteRecordStore(db), streams: new SqliteStreamStore(db), deliveryBuffers: buffers, close };
}

/** Not loopback and not a wildcard address: clients reach hako by this very name. */
/** An address a process on this machine can reach hako's listeners at (a wildcard bind is not one). */
function connectableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function isSpecificHost(host: string): boolean {
  return !isLoopbackHost(host) && host !== '0.0.0.0' && host !== '::';
}

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HakoError('DATA_DIR_UNUSABLE', [dataDir, (error as Error).message], { cause: error });
  }
}

/** Listens, translating "address in use" into an error that names the setting to change. */
async function listen(server: Server, what: string, host: string, port: number, setting: keyof typeof settingNames): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        const names = settingNames[setting];
        reject(new HakoError('PORT_IN_USE', [what, port, host, `${names.flag} or ${names.env}`]));
      } else reject(new HakoError('LISTEN_FAILED', [what, host, port, error.message], { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function writePorts(dataDir: string, ports: Ports): void {
  const file = path.join(dataDir, 'ports.json');
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(ports)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file); // readers never see a half-written file
}

/** Starts hako on its data directory, which it holds (`hako.lock`) until it stops. */
export async function startHako(config: HakoConfig, logger: Logger, clock: Clock = systemClock): Promise<RunningHako> {
  prepareDataDir(config.dataDir);
  const lock = lockDataDir(config.dataDir);
  let hako: RunningHako;
  try {
    hako = await startOnDataDir(config, logger, clock);
  } catch (error) {
    lock.release();
    throw error;
  }
  const stop = hako.stop;
  return Object.assign(hako, {
    stop: async () => {
      try {
        await stop();
      } finally {
        lock.release();
      }
    },
  });
}

async function startOnDataDir(config: HakoConfig, logger: Logger, clock: Clock): Promise<RunningHako> {
  const stores = await openStores(config, logger);
  const hooks = new Hooks((name, error) => logger.error({ err: error, hook: name }, 'hook listener failed'));
  const allowAnonymous = isLoopbackHost(config.host);
  const changes = new ChangeFeed();
  const arns = arnsFor(config.region, config.account);
  const registry = new Registry({ records: stores.records, clock, changes, thingArn: arns.thing });
  let identity: Identity;
  let shadowStore: RecordShadowStore;
  let functions: Functions;
  let streams: Streams;
  let delivery: Delivery;
  let httpPort: number | undefined;
  let httpsPort: number | undefined;
  // Nothing is opened (or loaded) here: the first load or query opens the file.
  const warehouse = createWarehouse({ dataDir: config.dataDir, filesRoot: defaultBucketsRoot(config.dataDir), inMemory: config.store === 'memory', logger: logger.child({ component: 'warehouse' }) });
  try {
    await registry.start();
    shadowStore = await RecordShadowStore.open(stores.records);
    identity = await startIdentity({
      dataDir: config.dataDir,
      region: config.region,
      account: config.account,
      // A specific address hako is bound to must be in its certificate too, or devices cannot verify it.
      settings: { ...config.iam, serverNames: [...config.iam.serverNames, ...(isSpecificHost(config.host) ? [config.host] : [])] },
      anonymousAllowed: allowAnonymous,
      records: stores.records,
      registry,
      changes,
      clock,
      logger,
    });
    streams = await startStreams({ store: stores.streams, records: stores.records, clock, logger: logger.child({ component: 'streams' }), region: config.region, account: config.account });
    // The data streams' shards as hako's own consumers read them (event source mappings, delivery streams).
    const shards = shardSource(streams);
    functions = await startFunctions({
      dataDir: config.dataDir,
      settings: config.functions,
      records: stores.records,
      region: config.region,
      account: config.account,
      clock,
      logger: logger.child({ component: 'functions' }),
      credentials: identity.accessKeys.issueSession(),
      endpointUrl: () => (httpPort === undefined ? undefined : `http://${connectableHost(config.host)}:${httpPort}`),
      // Event source mappings read the streams through this; functions import nothing from streams.
      streamSource: shards,
    });
    const invoker = functions.invoker;
    delivery = await startDelivery({
      store: stores.deliveryBuffers,
      records: stores.records,
      clock,
      logger: logger.child({ component: 'delivery' }),
      region: config.region,
      account: config.account,
      bucketsRoot: defaultBucketsRoot(config.dataDir),
      catalogRoot: defaultCatalogRoot(config.dataDir),
      warehouse,
      // KinesisStreamAsSource delivery streams read hako's data streams as event source mappings do.
      streamSource: shards,
      // Transforming functions are invoked as Firehose invokes them: synchronously (spec §10).
      invokeFunction: async (functionArn, payload) => {
        const answer = await invoker.invoke(parseFunctionReference(functionArn, undefined), payload, { invocationType: 'RequestResponse', logType: 'None' });
        return { payload: answer.payload, functionError: answer.functionError };
      },
    });
  } catch (error) {
    await warehouse.close();
    await stores.close();
    throw error;
  }
  const broker = new Broker({
    settings: config.mqtt,
    sessionStore: stores.sessions,
    retainedStore: stores.retained,
    hooks,
    logger: logger.child({ component: 'mqtt' }),
    clock,
    authenticator: identity.authorizer,
  });
  // A certificate that may no longer connect loses its live connections now, not at their next CONNECT.
  identity.certificates.onRevoked((certificateId, reason) => {
    const closed = broker.disconnectPrincipal(arns.cert(certificateId), reason);
    if (closed > 0) logger.info({ certificateId, closed }, `closed ${closed} connection(s): ${reason}`);
  });
  attachLifecycleEvents(hooks, (message) => broker.publish(message), clock);
  // Device Shadow service: answers $aws/things/<thing>/shadow/… requests through the message.publish hook.
  const shadows = new ShadowService({
    broker,
    hooks,
    store: shadowStore,
    clock,
    logger: logger.child({ component: 'shadow' }),
    limits: { maxStateBytes: config.shadow.maxStateBytes, maxDepth: config.shadow.maxDepth },
    maxInFlightPerThing: config.shadow.maxInFlightPerThing,
  });
  shadows.start();
  // Topic rules: evaluated off the delivery path, acting through the broker and the functions' async queue.
  const rules = await startRules({
    records: stores.records,
    hooks,
    clock,
    logger: logger.child({ component: 'rules' }),
    accountId: config.account,
    publish: (message) => broker.publish(message),
    principalOf: (clientId) => broker.principalOf(clientId),
    invokeAsync: async (functionArn, payload) => void (await functions.asyncQueue.enqueue(parseFunctionReference(functionArn, undefined), payload)),
    shadowOf: (thingName, shadowName) => shadowStore.peek(thingName, shadowName),
    putStreamRecord: async (streamName, partitionKey, data) => {
      const [result] = await streams.writer.put(streamName, [{ partitionKey, data }], true);
      if (result?.errorCode !== undefined) throw new Error(`${result.errorCode}: ${result.errorMessage ?? ''}`);
    },
    arnPrefix: `arn:aws:iot:${config.region}:${config.account}:`,
    confirmBase: () => `http://${connectableHost(config.host)}:${httpPort ?? config.httpPort}`,
    putDeliveryRecords: async (name, records) => void (await delivery.put(name, Buffer.concat(records), records.map((record) => record.length))),
  });
  // API keys and usage plans: the gateway asks their gate about routes with apiKeyRequired. The stage lookup
  // reads the gateway's APIs, which exist before any request can reach it.
  const usagePlans = await UsagePlanService.start({
    records: stores.records,
    clock,
    logger: logger.child({ component: 'usage-plans' }),
    stageLookup: (apiId, stage) => {
      const api = gateway.apis.findApi(apiId);
      if (api === undefined) return 'noApi';
      return stage in api.stages ? 'ok' : 'noStage';
    },
  });
  // The API gateway calls functions synchronously, as API Gateway's Lambda proxy integration does.
  const gateway = await startGateway({
    records: stores.records,
    clock,
    region: config.region,
    account: config.account,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'gateway' }),
    invoke: (functionArn, payload) => invokeForGateway(functions, functionArn, payload),
    apiKeys: usagePlans.gate,
  });
  // JITR: announce auto-registered certificates where AWS IoT does, for whatever activates them.
  identity.certificates.onAutoRegistered((registration) => {
    const { topic, payload } = registrationEvent(registration, config.account, clock.now());
    broker.publish({ topic, payload, qos: 1, retain: false, properties: undefined, expiresAt: undefined, origin: undefined });
  });
  let ready = false;
  const mqttLogger = logger.child({ component: 'mqtt' });
  const iamMetrics = { tlsRefused: 0, signaturesRefused: 0, certificatesRefused: 0 };
  const accept = (stream: Parameters<typeof openConnection>[1]): void => void openConnection(broker, stream, clock, mqttLogger);
  const tcp = createTcpServer(accept);
  const tlsOptions = {
    key: identity.tls.privateKeyPem,
    cert: identity.tls.certificatePem,
    caCertificates: () => identity.certificates.activeCaPems(),
    verify: identity.verifyPeer,
    onRefused: (remote: string, reason: string) => {
      iamMetrics.tlsRefused++;
      mqttLogger.warn({ remote }, `refused MQTT/TLS client: ${reason}`);
    },
  };
  const tls = createTlsServer(tlsOptions, accept);
  // HTTPS and MQTT (ALPN x-amzn-mqtt-ca) share the optional HTTPS port: TLS ends here, and HTTP sockets go
  // on to a plain HTTP server that hands requests to the same routes as the HTTP port.
  const httpsInner = createPlainHttpServer();
  const https = config.httpsPort === undefined ? undefined : createTlsServer({ ...tlsOptions, alpn: { protocol: 'x-amzn-mqtt-ca', otherProtocols: ['x-amzn-http-ca', 'http/1.1'], other: (socket) => httpsInner.emit('connection', socket) } }, accept);
  identity.certificates.onCaChange(() => {
    tls.refreshCaCertificates();
    https?.refreshCaCertificates();
  });
  const denied = identity.authorizer.metrics.denied;
  const http = createHttpServer({
    logger,
    rewriteUrl: rewriteApiHost,
    moreMetrics: async () => `${await functions.metrics.text()}${await rules.metrics.text()}${await delivery.metrics.text()}${await gateway.metrics.text()}`,
    isReady: () => ready,
    metrics: () => ({
      hako_mqtt_connections: broker.connectionCount,
      hako_mqtt_sessions: broker.sessionCount,
      hako_mqtt_retained_messages: broker.retainedCount(),
      hako_mqtt_messages_published_total: broker.metrics.messagesPublished,
      hako_mqtt_messages_delivered_total: broker.metrics.messagesDelivered,
      hako_mqtt_messages_dropped_queue_full_total: broker.metrics.messagesDropped.queue_full,
      hako_mqtt_messages_dropped_too_large_total: broker.metrics.messagesDropped.packet_too_large,
      hako_mqtt_messages_dropped_expired_total: broker.metrics.messagesDropped.expired,
      hako_mqtt_messages_dropped_slow_consumer_total: broker.metrics.messagesDropped.slow_consumer,
      hako_iam_denied_connect_total: denied.connect,
      hako_iam_denied_publish_total: denied.publish,
      hako_iam_denied_retain_publish_total: denied.retain,
      hako_iam_denied_subscribe_total: denied.subscribe,
      hako_iam_denied_receive_total: denied.receive,
      hako_iam_tls_refused_total: iamMetrics.tlsRefused,
      hako_http_signatures_refused_total: iamMetrics.signaturesRefused,
      hako_http_certificates_refused_total: iamMetrics.certificatesRefused,
    }),
  });
  registerApis(http, {
    identity,
    registry,
    shadows,
    functions,
    rules,
    streams,
    delivery,
    gateway,
    usagePlans,
    gatewayEndpointOf: (apiId, host) => apiEndpointOf(apiId, host ?? `${connectableHost(config.host)}:${httpPort ?? config.httpPort}`, httpsPort),
    warehouse,
    account: config.account,
    broker,
    logger: logger.child({ component: 'http' }),
    now: () => clock.now(),
    maxClockSkewMs: config.iam.maxClockSkew * 1000,
    metrics: iamMetrics,
    // Loopback and wildcard addresses are reached as localhost; the server certificate names it.
    endpointAddress: isSpecificHost(config.host) ? config.host : 'localhost',
  });
  httpsInner.on('request', (request, response) => http.routing(request, response));
  // HTTP/2 clients (the Kinesis SDK's default) on the plain HTTP port, beside HTTP/1.1.
  const h2c = acceptH2c(http.server, (request, response) => http.routing(request as never, response as never), { firstBytesTimeoutMs: http.server.headersTimeout });
  const wss = attachWebSocket([http.server, httpsInner], '/mqtt', config.mqtt.maxPacketSize, identity.checkWebSocketUpgrade, accept);

  const stopStarted = async (): Promise<void> => {
    // Stop listening first, but disconnect the clients before waiting: server.close() waits for every socket.
    h2c.close();
    const listenersClosed = Promise.all([tcp, tls, https].map((server) => (server?.listening === true ? closeServer(server) : undefined)).concat(http.close()));
    listenersClosed.catch(() => undefined); // awaited below; this only keeps an early rejection from being unhandled
    await shadows.stop(); // queued shadow requests are answered (and stored) while clients are still there
    await rules.stop(); // queued messages are evaluated; their republishes and invocations still land
    // Before the functions: flushing buffers (into folders and tables) may invoke transforming functions. What
    // fails stays in the store.
    await delivery.stop();
    await warehouse.close(); // after the loads delivery.stop made; interrupts running queries
    await functions.stop();
    await gateway.stop(); // access log lines of the last requests
    await streams.stop(); // after the functions: consumers of streams (event source mappings) go first
    await broker.stop();
    // After broker.stop, so WebSocket clients got their DISCONNECT (v5: 0x8B) like TCP ones.
    for (const client of wss.clients) client.terminate();
    wss.close();
    await listenersClosed;
    await usagePlans.stop(); // after the last request: every counted one is written
    await stores.sessions.close();
    await stores.retained.close();
    await stores.records.close();
    await stores.streams.close();
    await stores.deliveryBuffers.close();
    await stores.close();
  };

  try {
    await broker.start();
    const mqttPort = await listen(tcp, 'MQTT', config.host, config.mqttPort, 'mqttPort');
    const mqttsPort = await listen(tls, 'MQTT over TLS', config.host, config.mqttsPort, 'mqttsPort');
    await http.ready();
    httpPort = await listen(http.server, 'HTTP', config.host, config.httpPort, 'httpPort');
    functions.start();
    const ports: Ports = { mqtt: mqttPort, mqtts: mqttsPort, http: httpPort };
    if (https !== undefined && config.httpsPort !== undefined) ports.https = httpsPort = await listen(https, 'HTTPS', config.host, config.httpsPort, 'httpsPort');
    writePorts(config.dataDir, ports);
    ready = true;
    logger.info({ host: config.host, ...ports, dataDir: path.resolve(config.dataDir), store: config.store }, `hako is up: MQTT on ${config.host}:${mqttPort}, MQTT over TLS on ${config.host}:${mqttsPort}, HTTP on http://${config.host}:${httpPort}`);
    if (identity.createdCredentialsFile !== undefined) {
      logger.info({ credentials: path.resolve(identity.createdCredentialsFile) }, `root access key written to ${path.resolve(identity.createdCredentialsFile)} (AWS_SHARED_CREDENTIALS_FILE=${path.resolve(identity.createdCredentialsFile)} lets AWS SDKs and the hako CLI use it)`);
    }
    if (allowAnonymous) logger.info('anonymous MQTT clients are accepted because hako listens on loopback only');
    else logger.warn(`hako listens on ${config.host}: anonymous MQTT clients are refused (CONNACK 0x87)`);
    return {
      ports,
      broker,
      hooks,
      identity,
      registry,
      shadows,
      functions,
      rules,
      streams,
      delivery,
      gateway,
      warehouse,
      usagePlans,
      stop: async () => {
        ready = false;
        await stopStarted();
        logger.info('hako stopped');
      },
    };
  } catch (error) {
    await stopStarted().catch(() => undefined);
    throw error;
  }
}

/** An HTTP API's address as the caller reaches hako at `host` (the HTTPS port serves APIs too). */
function apiEndpointOf(apiId: string, host: string, httpsPort: number | undefined): string {
  const scheme = httpsPort !== undefined && host.endsWith(`:${httpsPort}`) ? 'https' : 'http';
  return `${scheme}://${host}${EXECUTE_API_BASE}/${apiId}`;
}

/** A Lambda proxy integration's call: Invoke, with Lambda's refusals told apart as the gateway answers them. */
async function invokeForGateway(functions: Functions, functionArn: string, payload: Buffer): Promise<InvokeOutcome> {
  try {
    // The gateway builds its events (and authorizer events) with JSON.stringify.
    const answer = await functions.invoker.invoke(parseFunctionReference(functionArn, undefined), payload, { invocationType: 'RequestResponse', logType: 'None', payloadIsJson: true });
    return { kind: 'answer', payload: answer.payload, functionError: answer.functionError !== undefined };
  } catch (error) {
    if (error instanceof AwsError && error.type === 'TooManyRequestsException') return { kind: 'throttled' };
    if (error instanceof AwsError) return { kind: 'failed', reason: `${error.type}: ${error.message}` };
    throw error;
  }
}
