/**
 * @module cli/function-arn — a function reference given on the command line (`name`, `name:qualifier` or an
 * ARN) turned into its ARN. The region and account in an ARN are hako's, so hako is asked (GetFunction),
 * which also says whether the function exists before anything points at it.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CliError, type Connection } from './client.js';

const UNQUALIFIED_ARN = /^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+)/;

/** `reference`'s ARN, keeping its qualifier; `where` (e.g. `apis create: --function fn`) prefixes errors. */
export async function functionArnOf(c: Connection, where: string, reference: string): Promise<string> {
  // `name:qualifier`, or an ARN's 8th field: a version or alias kept on the ARN.
  const qualifier = reference.startsWith('arn:') ? reference.split(':')[7] : /^[^:]+:([^:]+)$/.exec(reference)?.[1];
  let arn: string | undefined;
  try {
    arn = (await c.lambda(new GetFunctionCommand({ FunctionName: reference }))).Configuration?.FunctionArn;
  } catch (error) {
    if (error instanceof CliError && /ResourceNotFoundException/.test(error.message)) {
      throw new CliError(`${where}: no function ${reference}`, 'deploy it first (hako functions deploy DIR --name NAME), or see the functions there are with hako functions list', { cause: error });
    }
    throw error;
  }
  const unqualified = UNQUALIFIED_ARN.exec(arn ?? '')?.[1];
  if (unqualified === undefined) throw new CliError(`${where}: hako answered no function ARN`, 'pass the function ARN instead');
  return qualifier === undefined ? unqualified : `${unqualified}:${qualifier}`;
}

/** The function an integration URI names, as `name` or `name:qualifier` (either URI form); the URI itself otherwise. */
export function functionNameOf(integrationUri: string | undefined): string {
  if (integrationUri === undefined) return '-';
  return /:function:([^:/]+(?::[^:/]+)?)/.exec(integrationUri)?.[1] ?? integrationUri;
}
