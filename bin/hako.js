#!/usr/bin/env node
// Entry point for the `hako` command; the TypeScript sources compile to dist/ (npm run build).
import { runCli } from '../dist/src/cli/index.js';

process.exitCode = await runCli(process.argv);
