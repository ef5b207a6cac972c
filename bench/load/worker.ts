/**
 * @module bench/load/worker — entry point of the forked load-generator process.
 *
 * Receives one `run` message, runs it, posts the result and exits, so the generator never shares an
 * event loop (or a heap) with the orchestrator or the broker under test.
 */
import type { LoadResult, RunMessage, WorkerMessage } from './config.js';
import { runColdStarts } from './function-cold.js';
import { runInvokes } from './function-invoke.js';
import { runFirehose } from './firehose-run.js';
import { runGateway } from './gateway-run.js';
import { runIdle } from './idle-run.js';
import { runShadow } from './shadow-run.js';
import { runStreamToFunction } from './stream-function-run.js';
import { runThroughput } from './throughput-run.js';
import { runTlsConnect } from './tls-connect-run.js';

function reply(message: WorkerMessage): void {
  process.send?.(message, undefined, undefined, () => process.exit(0));
}

// The orchestrator went away: nobody is left to read the result.
process.once('disconnect', () => process.exit(1));

process.once('message', (message: RunMessage) => {
  const { config } = message;
  const run: Promise<LoadResult> =
    config.kind === 'idle'
      ? runIdle(config)
      : config.kind === 'tls-connect'
        ? runTlsConnect(config)
        : config.kind === 'shadow'
          ? runShadow(config)
          : config.kind === 'function'
            ? config.mode === 'cold'
              ? runColdStarts(config)
              : runInvokes(config)
            : config.kind === 'gateway'
              ? runGateway(config)
              : config.kind === 'firehose'
                ? runFirehose(config)
                : config.kind === 'stream-function'
                  ? runStreamToFunction(config)
                  : runThroughput(config);
  run.then(
    (result) => reply({ type: 'result', result }),
    (err: unknown) => reply({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
