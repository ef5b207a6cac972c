/**
 * @module functions/environment — an execution environment (spec §2.5): where one function version's code runs,
 * one invocation at a time, warm between invocations. Two kinds behind one interface:
 *
 * - `process` (the default): a Node.js process of its own, reached over the Runtime API (process-environment).
 *   As on AWS, nothing the function does (process.chdir, process.exit, native addons, a crash) reaches hako.
 * - `thread`: a worker thread inside hako's process, reached over the worker's port (thread-environment), for
 *   functions whose callers cannot wait for a process round trip (an HTTP API in front of a busy webhook, say).
 *   A function asks for it with `HAKO_FUNCTION_ISOLATION=thread` among its environment variables. What it gives up
 *   is written there.
 */
import { ProcessEnvironment } from './process-environment.js';
import { ThreadEnvironment } from './thread-environment.js';

export type Isolation = 'process' | 'thread';

/** The function environment variable that chooses an isolation; anything but `thread` is a process. */
export const ISOLATION_VARIABLE = 'HAKO_FUNCTION_ISOLATION';

export interface EnvironmentSpec {
  functionName: string;
  /** `$LATEST` or a version number. */
  version: string;
  /** Directory holding the function's code (LAMBDA_TASK_ROOT). */
  codeDir: string;
  handler: string;
  /** The declared runtime (`nodejs20.x`, …), reported in `AWS_EXECUTION_ENV`. */
  runtime?: string;
  memoryMB: number;
  timeoutSeconds: number;
  /** The function's own environment variables. */
  variables: Record<string, string>;
  region: string;
  /** This environment's temp directory (TMPDIR); kept across invocations, like /tmp. */
  tmpDir: string;
  /** Log stream name, `YYYY/MM/DD/[version]<32 hex>`. */
  logStreamName: string;
  initTimeoutMs?: number;
  /** What the function's AWS SDK calls use: hako's endpoint and temporary credentials (see AwsAccess). */
  aws?: AwsAccess;
}

/** How code in a function reaches AWS — here, hako: its execution role's credentials and the endpoint. */
export interface AwsAccess {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** `AWS_ENDPOINT_URL`, which SDK v3 clients use for every service; unset while hako has no HTTP port. */
  endpointUrl: string | undefined;
  /** Where the SDK is lent to functions (NODE_PATH), see sdk-link. */
  modulesDir: string | undefined;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
}

export interface InvokeResult {
  /** The function's result (JSON text), or the error document when `functionError` is set. */
  payload: Buffer;
  /** The error type (`Runtime.ExitError`, a thrown error's name, …) when the invocation failed. */
  functionError: string | undefined;
  durationMs: number;
  /** Present on the environment's first invocation. */
  initDurationMs: number | undefined;
  /** The log and the memory figure, settled just after the answer (so the caller never waits for them). */
  report: Promise<InvocationReport>;
}

export interface InvocationReport {
  /** This invocation's log, `START` to `REPORT`. */
  log: string;
  maxMemoryUsedMB: number;
}

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'dead';

export interface ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  readonly isolation: Isolation;
  readonly state: EnvironmentState;
  /** Runs one invocation (cold: after the init phase). Rejects only when the environment was not idle. */
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** Resolves once the runtime (process or thread) has ended. */
  readonly exited: Promise<void>;
  /** Stops the environment and frees what it holds. */
  dispose(): Promise<void>;
}

export function isolationOf(variables: Record<string, string>): Isolation {
  return variables[ISOLATION_VARIABLE] === 'thread' ? 'thread' : 'process';
}

/** Starts an environment of the isolation the function's variables ask for; its init runs until the first invoke. */
export function startEnvironment(spec: EnvironmentSpec): Promise<ExecutionEnvironment> {
  return isolationOf(spec.variables) === 'thread' ? Promise.resolve(new ThreadEnvironment(spec)) : ProcessEnvironment.create(spec);
}
