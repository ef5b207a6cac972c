/**
 * @module functions/aliases — aliases (spec §5): a name (`prod`) for a version, optionally splitting
 * traffic with one more version by weight (`RoutingConfig.AdditionalVersionWeights`). Pure rules here;
 * the registry stores aliases with their function.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';

export interface Alias {
  name: string;
  /** `$LATEST` or a version number. */
  functionVersion: string;
  description: string;
  /** At most one other version, with the share of invocations (0–1) it gets. */
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

export interface AliasInput {
  functionVersion?: unknown;
  description?: unknown;
  routingConfig?: unknown;
}

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

export function checkAliasName(name: unknown): string {
  if (typeof name !== 'string' || !ALIAS_NAME.test(name)) {
    throw new AwsError('InvalidParameterValueException', `1 validation error detected: Value '${String(name)}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`, { fields: { Type: 'User' } });
  }
  return name;
}

/** A new alias, or `existing` with the fields `input` gives; `versionExists` answers for the function. */
export function aliasFrom(name: string, input: AliasInput, versionExists: (version: string) => boolean, existing?: Alias): Alias {
  const functionVersion = input.functionVersion === undefined ? existing?.functionVersion : input.functionVersion;
  if (typeof functionVersion !== 'string' || !/^(\$LATEST|[0-9]+)$/.test(functionVersion)) {
    throw new AwsError('InvalidParameterValueException', `1 validation error detected: Value '${String(functionVersion)}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)`, { fields: { Type: 'User' } });
  }
  if (!versionExists(functionVersion)) throw new AwsError('ResourceNotFoundException', `Function not found: version ${functionVersion}`, { fields: { Type: 'User' } });
  const description = input.description === undefined ? (existing?.description ?? '') : input.description;
  if (typeof description !== 'string' || description.length > 256) throw new AwsError('InvalidParameterValueException', 'Description must be a string of at most 256 characters', { fields: { Type: 'User' } });
  const weights = input.routingConfig === undefined ? (existing?.additionalVersionWeights ?? {}) : routingWeights(input.routingConfig);
  for (const [version, weight] of Object.entries(weights)) {
    if (version === functionVersion) throw new AwsError('InvalidParameterValueException', `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`, { fields: { Type: 'User' } });
    if (version === '$LATEST' || functionVersion === '$LATEST') throw new AwsError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version', { fields: { Type: 'User' } });
    if (!versionExists(version)) throw new AwsError('ResourceNotFoundException', `Function not found: version ${version}`, { fields: { Type: 'User' } });
    if (!(weight >= 0 && weight <= 1)) throw new AwsError('InvalidParameterValueException', `Invalid weight ${weight} for version ${version}: weights go from 0.0 to 1.0`, { fields: { Type: 'User' } });
  }
  return { name, functionVersion, description, additionalVersionWeights: weights, revisionId: randomUUID() };
}

function routingWeights(routingConfig: unknown): Record<string, number> {
  const weights = (routingConfig as { AdditionalVersionWeights?: unknown } | null)?.AdditionalVersionWeights;
  if (weights === undefined || weights === null) return {};
  if (typeof weights !== 'object' || Array.isArray(weights)) throw new AwsError('InvalidParameterValueException', 'RoutingConfig.AdditionalVersionWeights must map a version to a weight', { fields: { Type: 'User' } });
  const entries = Object.entries(weights as Record<string, unknown>);
  if (entries.length > 1) throw new AwsError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1', { fields: { Type: 'User' } });
  return Object.fromEntries(entries.map(([version, weight]) => [version, typeof weight === 'number' ? weight : Number.NaN]));
}

/** The version one invocation through the alias runs: the additional one with its weight's probability. */
export function pickVersion(alias: Alias, random: () => number = Math.random): string {
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
    if (random() < weight) return version;
  }
  return alias.functionVersion;
}

/** The API's AliasConfiguration. */
export function aliasConfiguration(alias: Alias, aliasArn: string): Record<string, unknown> {
  const hasRouting = Object.keys(alias.additionalVersionWeights).length > 0;
  return {
    AliasArn: aliasArn,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(hasRouting ? { RoutingConfig: { AdditionalVersionWeights: alias.additionalVersionWeights } } : {}),
    RevisionId: alias.revisionId,
  };
}
