/**
 * @module bench/run — entry point of `npm run bench`: runs the scenarios against the brokers and prints
 * one side-by-side table (or JSON with --json). Progress goes to stderr, results to stdout.
 */
import { parseBenchArgs, USAGE } from './cli-args.js';
import { renderJson, renderMarkdown } from './report.js';
import { runBench } from './runner.js';

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const report = await runBench(opts, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${opts.json ? renderJson(report) : renderMarkdown(report)}\n`);
  return 0;
}

process.exitCode = await main();
