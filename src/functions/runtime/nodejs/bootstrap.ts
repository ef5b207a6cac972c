/**
 * @module functions/runtime/nodejs/bootstrap — the process a process environment runs: hako's Node.js runtime
 * (runtime-loop) over the Runtime API (spec §2), its log on stdout, each invocation's end marked on both pipes
 * (runtime/log-marker) so the environment knows the log is complete.
 */
import { endMarker } from '../log-marker.js';
import { RuntimeClient } from './runtime-client.js';
import { runRuntime } from './runtime-loop.js';

exitWithParent();
// hako passes the Runtime API as a socket pair on a descriptor (`--runtime-api-fd=3`); the TCP address is the fallback.
const fdArgument = process.argv.find((argument) => argument.startsWith('--runtime-api-fd='));
const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001', { fd: fdArgument === undefined ? undefined : Number(fdArgument.slice('--runtime-api-fd='.length)) });
await runRuntime({
  next: () => client.next(),
  postResponse: (requestId, body) => client.postResponse(requestId, body),
  postError: (requestId, error) => client.postError(requestId, error),
  postInitError: (error) => client.postInitError(error),
  writeLog: (text) => void process.stdout.write(text),
  endOfOutput(id) {
    const marker = endMarker(id);
    process.stdout.write(marker);
    process.stderr.write(marker);
  },
});

/**
 * An environment must not outlive hako: if hako is killed (kill -9 gives it no chance to stop its
 * environments), this process is re-parented, and it exits. Unref'd, so it never keeps the event loop
 * alive (callback handlers finish when the loop is empty).
 */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 500).unref();
}
