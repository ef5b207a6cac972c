/**
 * @module gateway/integration-uri — the function a Lambda proxy integration calls. HTTP APIs take the function's
 * ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`) or API Gateway's service path for it
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`); either may name
 * stage variables (`${stageVariables.alias}`, spec §8.5), substituted per request from the stage.
 */

const SERVICE_PATH = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;
/** A function ARN once stage variables are in; its name and qualifier checked as Lambda checks them. */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]{1,64}(:[a-zA-Z0-9$_-]{1,128})?$/;

export type UriCheck = { ok: true } | { ok: false; reason: string };

/** Whether `uri` names a function (stage variables allowed anywhere a name or qualifier goes). */
export function checkIntegrationUri(uri: string): UriCheck {
  const functionArn = SERVICE_PATH.exec(uri)?.[1] ?? uri;
  // Checked with each variable standing in for a plain name, so the rest of the ARN must be right already.
  const probe = functionArn.replace(STAGE_VARIABLE, 'v');
  if (!FUNCTION_ARN.test(probe)) {
    return { ok: false, reason: `Invalid integration URI specified: ${uri}. Use a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]) or arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations.` };
  }
  return { ok: true };
}

export type ResolvedUri = { ok: true; functionArn: string } | { ok: false; reason: string };

/** The function ARN for one request: the service path unwrapped, stage variables substituted. */
export function resolveIntegrationUri(uri: string, stageVariables: Readonly<Record<string, string>>): ResolvedUri {
  const template = SERVICE_PATH.exec(uri)?.[1] ?? uri;
  let missing: string | undefined;
  const functionArn = template.replace(STAGE_VARIABLE, (_whole, name: string) => {
    const value = stageVariables[name];
    if (value === undefined) missing ??= name;
    return value ?? '';
  });
  if (missing !== undefined) return { ok: false, reason: `stage variable ${missing} is not set on this stage` };
  if (!FUNCTION_ARN.test(functionArn)) return { ok: false, reason: `integration URI resolved to ${functionArn}, which is not a function ARN` };
  return { ok: true, functionArn };
}
