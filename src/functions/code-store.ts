/**
 * @module functions/code-store — where function code lives: each uploaded zip is unpacked once into
 * `<data-dir>/functions/code/<sha256 hex>/`, content-addressed and never changed afterwards, so versions
 * that share code share the directory and an environment's code cannot change under it. A development
 * function may instead point at a directory on this machine (LocalStack's "hot reload": `S3Bucket`
 * `hot-reload`, `S3Key` the absolute path), read afresh by every new environment.
 *
 * `CodeSha256` is what AWS returns: base64 of the SHA-256 of the zip; `CodeSize` its length in bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { AwsError } from '../core/aws-error.js';

/** AWS's limits: 50 MB zipped (direct upload), 250 MB unzipped [spec §1.5]. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;
/** The bucket name that means "a local directory", as LocalStack spells it. */
export const HOT_RELOAD_BUCKET = 'hot-reload';

export interface StoredCode {
  /** The directory the runtime loads the handler from (LAMBDA_TASK_ROOT). */
  directory: string;
  codeSha256: string;
  codeSize: number;
  /** True for a local directory: its files may change between environments. */
  hotReload: boolean;
}

export class CodeStore {
  readonly #root: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'functions', 'code');
  }

  /** Unpacks a zip (a no-op when the same zip was stored before). */
  storeZip(zip: Uint8Array): StoredCode {
    if (zip.length > MAX_ZIP_BYTES) throw new AwsError('RequestTooLargeException', `Zipped code must be smaller than ${MAX_ZIP_BYTES} bytes; upload ${zip.length} bytes`);
    const digest = createHash('sha256').update(zip).digest();
    const directory = path.join(this.#root, digest.toString('hex'));
    const stored = { directory, codeSha256: digest.toString('base64'), codeSize: zip.length, hotReload: false };
    if (existsSync(directory)) return stored;
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(zip);
    } catch (error) {
      throw new AwsError('InvalidParameterValueException', `Could not unzip uploaded file. Please check your file, then try to upload again. (${(error as Error).message})`);
    }
    let unzipped = 0;
    for (const [name, data] of Object.entries(entries)) {
      unzipped += data.length;
      if (!isSafeEntry(name)) throw new AwsError('InvalidParameterValueException', `Could not unzip uploaded file: entry "${name}" points outside the package`);
    }
    if (unzipped > MAX_UNZIPPED_BYTES) throw new AwsError('InvalidParameterValueException', `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    // Unpacked beside the final place and renamed into it: a crash never leaves half a package there.
    const temporary = `${directory}.${process.pid}.partial`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    for (const [name, data] of Object.entries(entries)) {
      const target = path.join(temporary, name);
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    renameSync(temporary, directory);
    return stored;
  }

  /** A directory on this machine, used in place (hot reload). */
  localDirectory(directory: string): StoredCode {
    if (!path.isAbsolute(directory)) throw new AwsError('InvalidParameterValueException', `S3Key must be an absolute directory path when S3Bucket is "${HOT_RELOAD_BUCKET}", got "${directory}"`);
    let isDirectory = false;
    try {
      isDirectory = statSync(directory).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new AwsError('InvalidParameterValueException', `${directory} is not a directory on the hako host`);
    return { directory, codeSha256: createHash('sha256').update(`hot-reload:${directory}`).digest('base64'), codeSize: 0, hotReload: true };
  }
}

/** A relative path that stays inside the package (no `..`, no absolute paths, no drive letters). */
function isSafeEntry(name: string): boolean {
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) return false;
  return !name.split(/[\\/]/).includes('..');
}
