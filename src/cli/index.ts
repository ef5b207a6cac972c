/**
 * @module cli — the `hako` command. `hako start` runs the server; `certs`, `policies`, `keys`, `functions`,
 * `rules`, `apis`, `streams`, `delivery` and `query` (one file each) are thin clients of its HTTP APIs.
 * Failures are one line on stderr and exit code 1; usage errors exit 2.
 */
import { Command, Option } from 'commander';
import { configFromEnv, configFromFile, parsePort, resolveConfig, type ConfigLayer } from '../core/config.js';
import { isHakoError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { CliError } from './client.js';
import { registerCertCommands } from './certs.js';
import { registerPolicyCommands } from './policies.js';
import { registerKeyCommands } from './keys.js';
import { registerFunctionCommands } from './functions.js';
import { registerRuleCommands } from './rules.js';
import { registerStreamCommands } from './streams.js';
import { registerDeliveryCommands } from './delivery.js';
import { registerQueryCommand } from './query.js';
import { registerApiCommands } from './apis.js';

interface StartFlags {
  config?: string;
  dataDir?: string;
  host?: string;
  mqttPort?: string;
  mqttsPort?: string;
  httpsPort?: string;
  httpPort?: string;
  store?: string;
  nats?: string;
  region?: string;
  account?: string;
  logLevel?: string;
}

function layerFromFlags(flags: StartFlags): ConfigLayer {
  const layer: ConfigLayer = {};
  if (flags.dataDir !== undefined) layer.dataDir = flags.dataDir;
  if (flags.host !== undefined) layer.host = flags.host;
  if (flags.mqttPort !== undefined) layer.mqttPort = parsePort(flags.mqttPort, '--mqtt-port');
  if (flags.mqttsPort !== undefined) layer.mqttsPort = parsePort(flags.mqttsPort, '--mqtts-port');
  if (flags.httpsPort !== undefined) layer.httpsPort = parsePort(flags.httpsPort, '--https-port');
  if (flags.httpPort !== undefined) layer.httpPort = parsePort(flags.httpPort, '--http-port');
  if (flags.store !== undefined) layer.store = flags.store;
  if (flags.nats !== undefined) layer.natsUrl = flags.nats;
  if (flags.region !== undefined) layer.region = flags.region;
  if (flags.account !== undefined) layer.account = flags.account;
  if (flags.logLevel !== undefined) layer.logLevel = flags.logLevel;
  return layer;
}

async function start(flags: StartFlags): Promise<number> {
  const env = process.env;
  const configPath = flags.config ?? env['HAKO_CONFIG'];
  const config = resolveConfig(layerFromFlags(flags), configFromEnv(env), configFromFile(configPath ?? 'hako.yaml', configPath !== undefined));
  const logger = createLogger(config.logLevel);
  // Loaded here, not at the top: the client commands need none of the server, and start faster without it.
  const { startHako } = await import('../main.js');
  const hako = await startHako(config, logger);
  return new Promise((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      hako.stop().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while shutting down');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });
}

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('hako')
    .description('An AWS-IoT-and-Lambda-compatible IoT cloud in one process')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  program
    .command('start')
    .description('start hako (MQTT broker and HTTP APIs)')
    .option('--config <file>', 'project file (default: ./hako.yaml if present; env HAKO_CONFIG)')
    .option('--data-dir <dir>', 'data directory (env HAKO_DATA_DIR, default ./.hako)')
    .option('--host <host>', 'address to listen on (env HAKO_HOST, default 127.0.0.1)')
    .option('--mqtt-port <port>', 'MQTT over TCP port, 0 = pick a free one (env HAKO_MQTT_PORT, default 1883)')
    .option('--mqtts-port <port>', 'MQTT over TLS port (env HAKO_MQTTS_PORT, default 8883)')
    .option('--https-port <port>', 'HTTPS and MQTT over TLS by ALPN x-amzn-mqtt-ca on one port, like AWS IoT\'s 443 (env HAKO_HTTPS_PORT, default off)')
    .option('--http-port <port>', 'HTTP port: APIs, WebSocket /mqtt, console (env HAKO_HTTP_PORT, default 8080)')
    .option('--store <backend>', 'storage backend: sqlite or memory (env HAKO_STORE, default sqlite)')
    .option('--nats <url>', 'NATS URL for scale-out (env HAKO_NATS_URL)')
    .option('--region <region>', 'AWS region in ARNs (env HAKO_REGION, default us-east-1)')
    .option('--account <id>', 'AWS account id in ARNs (env HAKO_ACCOUNT, default 000000000000)')
    .addOption(new Option('--log-level <level>', 'log level (env HAKO_LOG_LEVEL)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .action(async (flags: StartFlags) => {
      exitCode = await start(flags);
    });
  registerCertCommands(program);
  registerPolicyCommands(program);
  registerKeyCommands(program);
  registerFunctionCommands(program);
  registerRuleCommands(program);
  registerStreamCommands(program);
  registerDeliveryCommands(program);
  registerQueryCommand(program);
  registerApiCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (isHakoError(error)) {
      process.stderr.write(`hako: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CliError) {
      process.stderr.write(`hako: ${error.message}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`);
      return 1;
    }
    const code = (error as { exitCode?: number }).exitCode;
    // Commander already printed help or the usage error; a usage error exits 2, as command-line tools do.
    if (typeof code === 'number') return code === 1 && String((error as { code?: unknown }).code).startsWith('commander.') ? 2 : code;
    process.stderr.write(`hako: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
  // A command may end with a failure that is not an error of the CLI (`functions invoke` of a function that failed).
  return exitCode !== 0 ? exitCode : Number(process.exitCode ?? 0);
}
