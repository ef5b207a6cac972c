/**
 * @module functions/event-invoke-config — how asynchronous invocations of a function (version or alias)
 * are retried and where their outcome goes (spec §3): `MaximumRetryAttempts` 0–2 (default 2),
 * `MaximumEventAgeInSeconds` 60–21,600 (default 6 h), and on-success / on-failure destinations. hako
 * delivers to Lambda function destinations; queue, topic and bus destinations wait for those services.
 */
import { AwsError } from '../core/aws-error.js';

export interface EventInvokeConfig {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onSuccess: string | undefined;
  onFailure: string | undefined;
  /** Epoch ms. */
  lastModified: number;
}

export const DEFAULT_EVENT_INVOKE_CONFIG: Readonly<Omit<EventInvokeConfig, 'lastModified'>> = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  onSuccess: undefined,
  onFailure: undefined,
};

const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/;

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, { fields: { Type: 'User' } });
}

/** The config a Put (replace, over defaults) or an Update (merge, over `existing`) makes of a request body. */
export function eventInvokeConfigFrom(body: Readonly<Record<string, unknown>>, base: Omit<EventInvokeConfig, 'lastModified'>, now: number): EventInvokeConfig {
  const retries = body.MaximumRetryAttempts ?? base.maximumRetryAttempts;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 2) {
    throw invalid(`1 validation error detected: Value '${String(retries)}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2`);
  }
  const age = body.MaximumEventAgeInSeconds ?? base.maximumEventAgeSeconds;
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 60 || age > 21_600) {
    throw invalid(`1 validation error detected: Value '${String(age)}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 21600`);
  }
  const destinations = (body.DestinationConfig ?? {}) as { OnSuccess?: { Destination?: unknown }; OnFailure?: { Destination?: unknown } };
  const destination = (given: { Destination?: unknown } | undefined, current: string | undefined, which: string): string | undefined => {
    if (given === undefined) return current;
    const arn = given.Destination;
    if (arn === undefined || arn === null || arn === '') return undefined;
    if (typeof arn !== 'string' || !LAMBDA_ARN.test(arn)) {
      throw invalid(`The destination ARN ${String(arn)} (${which}) is not supported: hako delivers to Lambda functions (arn:aws:lambda:…:function:name); SQS, SNS, EventBridge and S3 destinations are not available yet`);
    }
    return arn;
  };
  return {
    maximumRetryAttempts: retries,
    maximumEventAgeSeconds: age,
    onSuccess: destination(destinations.OnSuccess, base.onSuccess, 'OnSuccess'),
    onFailure: destination(destinations.OnFailure, base.onFailure, 'OnFailure'),
    lastModified: now,
  };
}

/** The API's FunctionEventInvokeConfig. */
export function eventInvokeConfigShape(config: EventInvokeConfig, functionArn: string): Record<string, unknown> {
  const destinations: Record<string, unknown> = {};
  if (config.onSuccess !== undefined) destinations.OnSuccess = { Destination: config.onSuccess };
  if (config.onFailure !== undefined) destinations.OnFailure = { Destination: config.onFailure };
  return {
    LastModified: config.lastModified / 1000,
    FunctionArn: functionArn,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumEventAgeInSeconds: config.maximumEventAgeSeconds,
    DestinationConfig: destinations,
  };
}
