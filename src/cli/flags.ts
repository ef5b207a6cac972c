/**
 * @module cli/flags — reading a flag that takes a whole number: one message shape for every command
 * (`<command>: <flag> must be a whole number[ of N or more], not <value>`), with a hint where one helps.
 */
import { CliError } from './client.js';

export function wholeNumberFlag(what: string, flag: string, value: string | undefined, options: { min?: number; hint?: string } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const { min, hint } = options;
  if (value.trim() === '' || !Number.isInteger(number) || (min !== undefined && number < min)) {
    throw new CliError(`${what}: ${flag} must be a whole number${min === undefined ? '' : ` of ${min} or more`}, not ${value}`, hint);
  }
  return number;
}
