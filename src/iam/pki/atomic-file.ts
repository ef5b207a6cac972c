/**
 * @module iam/pki/atomic-file — writing key and certificate files so that readers (and crashes) only ever
 * see the old file or the complete new one, with the final permission bits from the first byte.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';

/** Writes `data` to a new temporary file beside `file`, with `mode`, flushed to disk; returns its path. */
async function writeTemporary(file: string, data: string, mode: number): Promise<string> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.chmod(mode); // the umask may have cut the mode given to open
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`cannot write ${file} (${(error as Error).message})`, { cause: error });
  }
}

/** Atomically creates or replaces `file`. */
export async function replaceFile(file: string, data: string, mode: number): Promise<void> {
  const temporary = await writeTemporary(file, data, mode);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`cannot write ${file} (${(error as Error).message})`, { cause: error });
  }
}

/** Atomically creates `file` unless it already exists; false when it does (another process was first). */
export async function installNewFile(file: string, data: string, mode: number): Promise<boolean> {
  const temporary = await writeTemporary(file, data, mode);
  try {
    await link(temporary, file); // unlike rename, link never replaces an existing file
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    await rename(temporary, file).catch((renameError: unknown) => {
      throw new Error(`cannot write ${file} (${(renameError as Error).message})`, { cause: error });
    }); // a file system without hard links
    return true;
  } finally {
    await rm(temporary, { force: true });
  }
}
