/**
 * @module iam/policy/document — parsing and validating an AWS IoT policy document (the JSON a customer
 * passes to CreatePolicy / CreatePolicyVersion, or a custom authorizer returns).
 *
 * A rejection carries the text for a `MalformedPolicyException`, naming the statement and the element
 * that is wrong. Statements are numbered from 1 in messages, as a person counts them in the JSON.
 * Nothing here evaluates anything; `evaluate.ts` compiles the validated document.
 */

import { validateConditionBlock, type ConditionBlock } from './conditions.js';

export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

/** One statement, normalised: single strings become one-element arrays. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: Effect;
  /** Exactly one of `action` / `notAction` is set. */
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  /** Exactly one of `resource` / `notResource` is set. */
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly condition?: ConditionBlock;
}

export interface PolicyDocument {
  /** `2008-10-17` has no policy variables: `${…}` is ordinary text there. */
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

export type ParsePolicyResult = { ok: true; document: PolicyDocument } | { ok: false; message: string };

/** AWS IoT: a policy document is at most 2048 characters, not counting whitespace. */
export const MAX_POLICY_CHARACTERS = 2048;

const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

class Malformed extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Characters that count towards the size limit: everything except whitespace, by code point. */
export function countPolicyCharacters(text: string): number {
  let n = 0;
  for (const c of text) if (!/\s/.test(c)) n++;
  return n;
}

export function parsePolicyDocument(text: string): ParsePolicyResult {
  try {
    return { ok: true, document: parseOrThrow(text) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, message: error.message };
    throw error;
  }
}

function fail(message: string): never {
  throw new Malformed(message);
}

function parseOrThrow(text: string): PolicyDocument {
  const size = countPolicyCharacters(text);
  if (size > MAX_POLICY_CHARACTERS) {
    fail(`policy document is ${size} characters excluding whitespace; the limit is ${MAX_POLICY_CHARACTERS}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`policy document is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) fail('policy document must be a JSON object');
  for (const key of Object.keys(json)) {
    if (!DOCUMENT_KEYS.has(key)) fail(`policy document has an unknown element "${key}"; allowed: Version, Id, Statement`);
  }
  const version = json['Version'];
  if (version === undefined) fail('policy document must have a "Version" ("2012-10-17")');
  if (typeof version !== 'string' || !VERSIONS.includes(version)) {
    fail(`"Version" must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`);
  }
  const id = json['Id'];
  if (id !== undefined && typeof id !== 'string') fail('"Id" must be a string');
  const raw = json['Statement'];
  if (raw === undefined) fail('policy document must have a "Statement"');
  const list: unknown[] = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : fail('"Statement" must be an object or an array of objects');
  if (list.length === 0) fail('"Statement" must not be empty');
  const variables = version === '2012-10-17';
  const sids = new Map<string, number>();
  const statements = list.map((s, i) => parseStatement(s, i + 1, variables, sids));
  return { version: version as PolicyVersion, ...(id === undefined ? {} : { id }), statements };
}

function parseStatement(raw: unknown, n: number, variables: boolean, sids: Map<string, number>): PolicyStatement {
  if (!isObject(raw)) fail(`statement ${n} must be an object`);
  const sid = raw['Sid'];
  if (sid !== undefined && typeof sid !== 'string') fail(`statement ${n}: "Sid" must be a string`);
  const where = sid === undefined ? `statement ${n}` : `statement ${n} (Sid "${sid}")`;
  for (const key of Object.keys(raw)) {
    if (key === 'Principal' || key === 'NotPrincipal') fail(`${where}: an AWS IoT policy must not specify "${key}"`);
    if (!STATEMENT_KEYS.has(key)) {
      fail(`${where}: unknown element "${key}"; allowed: ${[...STATEMENT_KEYS].join(', ')}`);
    }
  }
  if (sid !== undefined) {
    const earlier = sids.get(sid);
    if (earlier !== undefined) fail(`${where}: Sid "${sid}" is already used by statement ${earlier}; Sids must be unique`);
    sids.set(sid, n);
  }
  const effect = raw['Effect'];
  if (effect === undefined) fail(`${where}: "Effect" is required`);
  if (effect !== 'Allow' && effect !== 'Deny') fail(`${where}: "Effect" must be "Allow" or "Deny", not ${JSON.stringify(effect)}`);

  const [actionKey, actions] = pickOne(raw, where, 'Action', 'NotAction');
  for (const a of actions) {
    if (a !== '*' && !ACTION.test(a)) {
      fail(`${where}: "${actionKey}" entry "${a}" is not an action; expected "*" or "<service>:<name>" such as "iot:Publish"`);
    }
  }
  const [resourceKey, resources] = pickOne(raw, where, 'Resource', 'NotResource');
  for (const r of resources) {
    if (r !== '*' && !r.startsWith('arn:')) fail(`${where}: "${resourceKey}" entry "${r}" must be "*" or an ARN ("arn:…")`);
  }
  const condition = raw['Condition'];
  if (condition !== undefined) {
    const problem = validateConditionBlock(condition, variables);
    if (problem !== undefined) fail(`${where}: ${problem}`);
  }
  return {
    ...(sid === undefined ? {} : { sid }),
    effect,
    ...(actionKey === 'Action' ? { action: actions } : { notAction: actions }),
    ...(resourceKey === 'Resource' ? { resource: resources } : { notResource: resources }),
    ...(condition === undefined ? {} : { condition: condition as ConditionBlock }),
  };
}

/** Exactly one of the two elements, as a non-empty list of non-empty strings. */
function pickOne<K extends string>(raw: Record<string, unknown>, where: string, key: K, notKey: K): [K, string[]] {
  const has = raw[key] !== undefined;
  const hasNot = raw[notKey] !== undefined;
  if (has && hasNot) fail(`${where}: use either "${key}" or "${notKey}", not both`);
  if (!has && !hasNot) fail(`${where}: "${key}" or "${notKey}" is required`);
  const name = has ? key : notKey;
  const value = raw[name];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
    fail(`${where}: "${name}" must be a non-empty string or a non-empty array of non-empty strings`);
  }
  return [name, list as string[]];
}
