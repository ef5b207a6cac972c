/**
 * @module functions/sdk-link — the AWS SDK for JavaScript v3 that Lambda's Node.js runtimes ship (spec
 * §1.6): handlers that `import '@aws-sdk/client-…'` without bundling it find it there.
 *
 * hako lends its own `@aws-sdk` packages: `<data-dir>/functions/node_modules/@aws-sdk` links to them, so
 * module resolution from unpacked code (`<data-dir>/functions/code/<sha>/`) finds them by walking up, for
 * ESM and CommonJS alike, and `NODE_PATH` (the runtime sets it, as AWS does) covers code elsewhere (a
 * hot-reload directory). Only `@aws-sdk` is exposed, not the rest of hako's dependencies: a function
 * must not come to rely on something Lambda would not have. A function's own `node_modules` wins.
 */
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../core/logger.js';

/** The directory to put on NODE_PATH: `<data-dir>/functions/node_modules`. */
export function sdkModulesDir(dataDir: string): string {
  return path.join(dataDir, 'functions', 'node_modules');
}

/** Creates (or repoints) the link; logs and carries on when hako's SDK cannot be found. */
export function linkSdk(dataDir: string, logger: Logger): void {
  const target = hakoSdkDir();
  if (target === undefined) {
    logger.warn('the AWS SDK could not be found next to hako; functions that import @aws-sdk/* must bundle it');
    return;
  }
  const link = path.join(sdkModulesDir(dataDir), '@aws-sdk');
  mkdirSync(path.dirname(link), { recursive: true });
  if (currentTarget(link) === target) return;
  rmSync(link, { recursive: true, force: true }); // a stale link, from a hako installed elsewhere before
  symlinkSync(target, link, 'dir');
}

function hakoSdkDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@aws-sdk/client-lambda');
    const at = entry.lastIndexOf(`${path.sep}node_modules${path.sep}@aws-sdk${path.sep}`);
    return at === -1 ? undefined : entry.slice(0, at + `${path.sep}node_modules${path.sep}@aws-sdk`.length);
  } catch {
    return undefined;
  }
}

function currentTarget(link: string): string | undefined {
  try {
    return lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
  } catch {
    return undefined;
  }
}
