/**
 * @module functions/runtime/nodejs/handler-loader — turns `_HANDLER` (`[dir/]module.export[.nested]`) into
 * the function to call, loading the module as the official Node.js runtime does (spec §2.2): under
 * `LAMBDA_TASK_ROOT`, try `P` (CommonJS), `P.js` (ESM when the nearest package.json says
 * `"type": "module"`, else CommonJS), `P.mjs`, `P.cjs`, then Node's resolution of the bare name (packages
 * in node_modules). ESM top-level `await` finishes here, inside the init phase.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeFailure } from './errors.js';

export type Handler = (event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown;

export async function loadHandler(taskRoot: string, handlerString: string): Promise<Handler> {
  if (handlerString.includes('..')) throw new RuntimeFailure('Runtime.MalformedHandlerName', `'${handlerString}' is not a valid handler name. Use the format "[dir/]module.function".`);
  const slash = handlerString.lastIndexOf('/');
  const dir = handlerString.slice(0, slash + 1);
  const base = handlerString.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw new RuntimeFailure('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  const moduleName = base.slice(0, dot);
  const exportPath = base.slice(dot + 1).split('.');
  const loaded = await loadModule(taskRoot, path.join(taskRoot, dir, moduleName), `${dir}${moduleName}`);
  let target: unknown = loaded;
  for (const key of exportPath) target = target === undefined || target === null ? undefined : (target as Record<string, unknown>)[key];
  if (target === undefined) throw new RuntimeFailure('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof target !== 'function') throw new RuntimeFailure('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  return target as Handler;
}

async function loadModule(taskRoot: string, file: string, name: string): Promise<unknown> {
  const require = createRequire(path.join(taskRoot, 'index.js'));
  try {
    if (isFile(file)) return require(file);
    if (isFile(`${file}.js`)) return isEsmPackage(path.dirname(file)) ? await importFile(`${file}.js`) : require(`${file}.js`);
    if (isFile(`${file}.mjs`)) return await importFile(`${file}.mjs`);
    if (isFile(`${file}.cjs`)) return require(`${file}.cjs`);
  } catch (error) {
    throw classifyLoadError(error, name);
  }
  let resolved: string;
  try {
    resolved = require.resolve(name, { paths: [taskRoot] });
  } catch (error) {
    throw new RuntimeFailure('Runtime.ImportModuleError', `Error: Cannot find module '${name}'`, { cause: error });
  }
  try {
    return resolved.endsWith('.mjs') || (resolved.endsWith('.js') && isEsmPackage(path.dirname(resolved))) ? await importFile(resolved) : require(resolved);
  } catch (error) {
    throw classifyLoadError(error, name);
  }
}

function importFile(file: string): Promise<unknown> {
  return import(pathToFileURL(file).href);
}

/** Syntax errors and missing imports get the runtime's types; an error thrown by the module's own code keeps its own. */
function classifyLoadError(error: unknown, name: string): unknown {
  if (error instanceof SyntaxError) return new RuntimeFailure('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, { cause: error });
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return new RuntimeFailure('Runtime.ImportModuleError', `Error: ${(error as Error).message.split('\n')[0] ?? `Cannot find module '${name}'`}`, { cause: error });
  }
  return error;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The nearest package.json going up from `dir` (not past node_modules) says `"type": "module"`. */
function isEsmPackage(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.basename(current) === 'node_modules' || path.dirname(current) === current) return false;
  }
}
