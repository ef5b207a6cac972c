/**
 * @module bench/brokers/child-process — runs a broker as a child process: free-port lookup, bounded
 * readiness polling, output capture for error messages, and a stop that escalates to SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

const OUTPUT_TAIL_CHARS = 2000;

/** Brokers still running, killed if the bench exits early (an exception, Ctrl-C). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A spawned broker process plus the tail of its output, for failure reasons. */
export class BrokerProcess {
  readonly child: ChildProcess;
  #output = '';
  #exit: string | null = null;
  readonly #exited: Promise<void>;

  constructor(command: string, args: string[], cwd?: string) {
    this.child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    const capture = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    this.child.stdout?.on('data', capture);
    this.child.stderr?.on('data', capture);
    this.#exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        running.delete(this.child);
        this.#exit = signal ?? `code ${code}`;
        resolve();
      });
      this.child.on('error', (err) => {
        this.#exit = err.message;
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Null while running, else how it ended. */
  get exit(): string | null {
    return this.#exit;
  }

  /** The last lines it printed, on one line. */
  get outputTail(): string {
    return this.#output.trim().split('\n').slice(-3).join(' | ');
  }

  /** An error describing why the process is not usable, with its last output. */
  failure(reason: string): Error {
    const tail = this.outputTail;
    return new Error(tail === '' ? reason : `${reason}: ${tail}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#exit !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** A loopback TCP port that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until 127.0.0.1:`port` accepts a TCP connection; fails if `proc` exits or `timeoutMs` passes. */
export async function waitForPort(port: number, proc: BrokerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exit !== null) throw proc.failure(`exited (${proc.exit}) before listening`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw proc.failure(`not accepting connections on port ${port} after ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
