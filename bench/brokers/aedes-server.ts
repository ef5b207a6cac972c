/**
 * @module bench/brokers/aedes-server — Aedes with its defaults (in-memory persistence and mqemitter)
 * over plain TCP, and over mutual TLS when given `--tls-port/--tls-dir`, run as its own process by
 * bench/brokers/aedes.ts.
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import { portArgument } from './node-script.js';
import { tlsListenerArgs } from './tls-args.js';

const port = portArgument(process.argv);
const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.listen(port, '127.0.0.1');
const tlsArgs = tlsListenerArgs(process.argv);
if (tlsArgs !== undefined) {
  const { createServer } = await import('node:tls');
  createServer(tlsArgs.options, broker.handle).listen(tlsArgs.port, '127.0.0.1');
}

process.once('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
});
