/**
 * @module rules/actions/parameters — reading an action's AWS parameters: each problem is the caller's
 * InvalidRequestException naming the action and the field, and templates compile once, here, so a bad
 * `${…}` is refused when the rule is created.
 */
import { AwsError } from '../../core/aws-error.js';
import { compileTemplate, SqlSyntaxError, type CompiledTemplate, type SqlVersion } from '../sql/index.js';

export function invalid(action: string, message: string): AwsError {
  return new AwsError('InvalidRequestException', `${action} action: ${message}`);
}

export function requiredString(parameters: Record<string, unknown>, field: string, action: string): string {
  const value = parameters[field];
  if (typeof value !== 'string' || value === '') throw invalid(action, `${field} is required (a non-empty string)`);
  return value;
}

export function optionalString(parameters: Record<string, unknown>, field: string, action: string): string | undefined {
  const value = parameters[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(action, `${field} must be a string`);
  return value;
}

export function template(text: string, field: string, action: string, version: SqlVersion): CompiledTemplate {
  try {
    return compileTemplate(text, version);
  } catch (error) {
    if (error instanceof SqlSyntaxError) throw invalid(action, `${field} has a bad substitution template: ${error.message}`);
    throw error;
  }
}
