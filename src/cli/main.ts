/**
 * @module cli/main — runs the `hako` command with this process's arguments: `node dist/src/cli/main.js …`
 * is `hako …` (bin/hako.js does the same through `runCli`).
 */
import { runCli } from './index.js';

process.exitCode = await runCli(process.argv);
