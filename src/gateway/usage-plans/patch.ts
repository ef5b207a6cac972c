/**
 * @module gateway/usage-plans/patch — API Gateway v1's `patchOperations` (`{op, path, value}`, JSON-Pointer paths,
 * values always strings) read from a request, and the errors for operations a resource does not take. Pure.
 */
import { badRequest } from '../checks.js';

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

export interface PatchOperation {
  op: PatchOp;
  path: string;
  value?: string;
}

const OPS: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

export function readPatchOperations(value: unknown): PatchOperation[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('patchOperations must be a list');
  return value.map((item: unknown) => {
    if (item === null || typeof item !== 'object') throw badRequest('each patch operation must be an object');
    const { op, path, value: operand } = item as Record<string, unknown>;
    if (typeof op !== 'string' || !OPS.includes(op as PatchOp)) throw badRequest(`Invalid patch operation specified. Must be one of: [${OPS.join(', ')}]`);
    if (typeof path !== 'string' || path === '') throw badRequest('each patch operation needs a path');
    if (operand !== undefined && operand !== null && typeof operand !== 'string') throw badRequest(`the value of patch operation ${op} ${path} must be a string`);
    return { op: op as PatchOp, path, ...(typeof operand === 'string' ? { value: operand } : {}) };
  });
}

/** The error for a path a resource does not have, or an operation it does not take there. */
export function unsupportedPatch(operation: PatchOperation, supported: readonly string[]): Error {
  return badRequest(`Invalid patch path '${operation.path}' specified for op '${operation.op}'. Must be one of: [${supported.join(', ')}]`);
}

export function requiredValue(operation: PatchOperation): string {
  if (operation.value === undefined) throw badRequest(`patch operation ${operation.op} ${operation.path} needs a value`);
  return operation.value;
}

export function booleanValue(operation: PatchOperation): boolean {
  const value = requiredValue(operation);
  if (value !== 'true' && value !== 'false') throw badRequest(`Invalid value '${value}' for ${operation.path}: use true or false`);
  return value === 'true';
}

export function numberValue(operation: PatchOperation, integer: boolean): number {
  const value = requiredValue(operation);
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) throw badRequest(`Invalid value '${value}' for ${operation.path}: use a ${integer ? 'whole ' : ''}number`);
  return number;
}

/** A JSON-Pointer segment as written in a path: `~1` is `/`, `~0` is `~`. */
export function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}
