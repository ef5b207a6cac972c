/**
 * @module cli/data-argument — a record given on the command line: the text itself, `@FILE` for a file's bytes,
 * or `-` for standard input (so binary data and pipes work).
 */
import { readFile } from 'node:fs/promises';
import { CliError } from './client.js';

export async function dataArgument(what: string, value: string): Promise<Buffer> {
  if (value === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  if (!value.startsWith('@')) return Buffer.from(value, 'utf8');
  try {
    return await readFile(value.slice(1));
  } catch (error) {
    throw new CliError(`${what}: cannot read ${value.slice(1)}: ${(error as Error).message}`, 'give the record as text, @FILE or - (standard input)', { cause: error });
  }
}
